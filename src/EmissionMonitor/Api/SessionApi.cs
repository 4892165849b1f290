namespace EmissionMonitor.Api;

/// <summary>
/// The dashboard's credential: <c>POST /api/session</c> (<c>{token}</c>) checks the token and sets it
/// as an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), so no script of the page can read it;
/// <c>DELETE /api/session</c> ends it; <c>GET /api/session</c> says who the caller is (and whether a
/// login is needed at all: with no API users configured, it is not).
/// </summary>
public static class SessionApi
{
    public sealed record LoginBody(string? Token);

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        app.MapGet("/api/session", (HttpContext http) =>
        {
            var result = auth.Authenticate(http);
            return result.User is { } user
                ? Results.Json(Describe(user, auth))
                : Results.Problem(statusCode: result.Status, title: result.Title);
        });

        app.MapPost("/api/session", (HttpContext http, LoginBody? body) =>
        {
            if (!auth.SameOrigin(http, viaCookie: false))
            {
                return Results.Problem(statusCode: 403, title: "cross-site login refused: Origin does not name this service");
            }

            if (auth.Open)
            {
                return auth.Authenticate(http).User is { } local
                    ? Results.Json(Describe(local, auth))
                    : Results.Problem(statusCode: 403, title: "no API users are configured (Api:Users): only loopback callers are served");
            }

            if (auth.IsThrottled(http))
            {
                return Results.Problem(statusCode: 429, title: "too many unknown tokens from this address; try again later");
            }

            var user = auth.Login(http, body?.Token);
            if (user is null)
            {
                return Results.Problem(statusCode: 401, title: "unknown token");
            }

            http.Response.Cookies.Append(ApiAuth.CookieName, user.Token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = "/",
                IsEssential = true,
            });
            return Results.Json(Describe(user, auth));
        });

        app.MapDelete("/api/session", (HttpContext http) =>
        {
            if (!auth.SameOrigin(http, viaCookie: false))
            {
                return Results.Problem(statusCode: 403, title: "cross-site request refused: Origin does not name this service");
            }

            http.Response.Cookies.Delete(ApiAuth.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps });
            return Results.NoContent();
        });
    }

    private static object Describe(ApiUser user, ApiAuth auth) =>
        new { role = user.Role, name = user.DisplayName, enterprise = user.Enterprise, loginRequired = !auth.Open };
}
