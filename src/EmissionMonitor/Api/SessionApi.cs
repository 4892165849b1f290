using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// The dashboard's credential: <c>POST /api/session</c> (<c>{token}</c>) checks the token and opens a
/// session (<see cref="Http.Sessions"/>) whose own random value is set as an HttpOnly, SameSite=Strict
/// cookie (Secure when the original scheme was https), so no script of the page can read it and the
/// token itself is never a cookie; <c>DELETE /api/session</c> ends it on the server; <c>GET /api/session</c> says who the caller is (and whether a
/// login is needed at all: with no API users configured, it is not).
/// </summary>
public static class SessionApi
{
    public sealed record LoginBody(string? Token);

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var session = new ApiArea(app, auth, "/api/session", "session").Open; // each answer checks the caller itself: logging in is for those without a session
        session.MapGet("", (HttpContext http, TimeZoneInfo zone) =>
        {
            var result = auth.Authenticate(http);
            return result.User is { } user
                ? Results.Json(Describe(user, auth, zone))
                : Results.Problem(statusCode: result.Status, title: result.Title);
        });

        session.MapPost("", (HttpContext http, LoginBody? body, TimeZoneInfo zone) =>
        {
            if (!auth.SameOrigin(http, viaCookie: false))
            {
                return Results.Problem(statusCode: 403, title: "cross-site login refused: Origin does not name this service");
            }

            if (auth.Open)
            {
                return auth.Authenticate(http).User is { } local
                    ? Results.Json(Describe(local, auth, zone))
                    : Results.Problem(statusCode: 403, title: "no API users are configured (Api:Users): only loopback callers are served");
            }

            var user = auth.Login(http, body?.Token); // a valid token logs in even while this address is throttled for others' guesses
            if (user is null)
            {
                return auth.IsThrottled(http)
                    ? Results.Problem(statusCode: 429, title: "too many unknown tokens from this address; try again later")
                    : Results.Problem(statusCode: 401, title: "unknown token");
            }

            auth.StartSession(http, user);
            return Results.Json(Describe(user, auth, zone));
        });

        session.MapDelete("", (HttpContext http) =>
        {
            if (!auth.SameOrigin(http, viaCookie: false))
            {
                return Results.Problem(statusCode: 403, title: "cross-site request refused: Origin does not name this service");
            }

            auth.EndSession(http);
            return Results.NoContent();
        });
    }

    /// <summary>Who is logged in, and the service's time zone as an IANA name (pages show times in it, whatever the browser's zone).</summary>
    private static object Describe(ApiUser user, ApiAuth auth, TimeZoneInfo zone) =>
        new { role = user.Role, name = user.DisplayName, enterprise = user.Enterprise, loginRequired = !auth.Open, timeZone = IanaName(zone) };

    private static string IanaName(TimeZoneInfo zone) =>
        zone.HasIanaId || !TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out string? iana) ? zone.Id : iana;
}
