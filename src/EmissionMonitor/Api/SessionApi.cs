using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>Who is logged in, and the service's time zone as an IANA name (pages show times in it, whatever the browser's zone).</summary>
    public sealed record SessionJson(string Role, string Name, string? Enterprise, bool LoginRequired, string TimeZone);

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var session = new ApiArea(app, auth, "/api/session", "session").Open; // each answer checks the caller itself: logging in is for those without a session
        session.MapGet("", Get);
        session.MapPost("", Login);
        session.MapDelete("", Logout);
    }

    /// <summary><c>GET /api/session</c>: the caller's session or token, or why it has none (401).</summary>
    private static Results<Ok<SessionJson>, ProblemHttpResult> Get(HttpContext http, ApiAuth auth, TimeZoneInfo zone)
    {
        var result = auth.Authenticate(http);
        return result.User is { } user ? TypedResults.Ok(Describe(user, auth, zone)) : Refusals.Problem(result.Status, result.Title);
    }

    /// <summary><c>POST /api/session</c> (<c>{token}</c>): logs in with a token, setting the session cookie; the same origin only, throttled per address.</summary>
    private static Results<Ok<SessionJson>, ProblemHttpResult> Login(HttpContext http, LoginBody? body, ApiAuth auth, TimeZoneInfo zone)
    {
        if (!auth.SameOrigin(http, viaCookie: false))
        {
            return Refusals.Problem(403, "cross-site login refused: Origin does not name this service");
        }

        if (auth.Open)
        {
            return auth.Authenticate(http).User is { } local
                ? TypedResults.Ok(Describe(local, auth, zone))
                : Refusals.Problem(403, "no API users are configured (Api:Users): only loopback callers are served");
        }

        var user = auth.Login(http, body?.Token); // a valid token logs in even while this address is throttled for others' guesses
        if (user is null)
        {
            return auth.IsThrottled(http)
                ? Refusals.Problem(429, "too many unknown tokens from this address; try again later")
                : Refusals.Problem(401, "unknown token");
        }

        auth.StartSession(http, user);
        return TypedResults.Ok(Describe(user, auth, zone));
    }

    /// <summary><c>DELETE /api/session</c>: ends the session (the same origin only).</summary>
    private static Results<NoContent, ProblemHttpResult> Logout(HttpContext http, ApiAuth auth)
    {
        if (!auth.SameOrigin(http, viaCookie: false))
        {
            return Refusals.Problem(403, "cross-site request refused: Origin does not name this service");
        }

        auth.EndSession(http);
        return TypedResults.NoContent();
    }

    private static SessionJson Describe(ApiUser user, ApiAuth auth, TimeZoneInfo zone) => new(user.Role, user.DisplayName, user.Enterprise, !auth.Open, IanaName(zone));

    private static string IanaName(TimeZoneInfo zone) =>
        zone.HasIanaId || !TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out string? iana) ? zone.Id : iana;
}
