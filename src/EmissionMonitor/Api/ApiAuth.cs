using EmissionMonitor.Intake;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Who a caller is: a bearer token (<c>Authorization: Bearer …</c>) checked against <c>Api:Users</c>,
/// or the dashboard's session cookie (set by <c>POST /api/session</c>: a random session value of its
/// own, HttpOnly, SameSite=Strict, Secure when the original scheme was https; see
/// <see cref="Http.Sessions"/>). Unknown tokens are throttled per client address (behind a trusted
/// proxy, the forwarded one): past the limit an unknown token gets 429, while a valid token is
/// always accepted — others' wrong guesses never lock a user out. With no users configured every
/// loopback caller is an operator and any other caller is refused, whatever addresses Kestrel was
/// told to bind. State-changing requests must come from an allowed origin when they carry an
/// Origin, and always when they are authenticated by the cookie.
/// </summary>
public sealed class ApiAuth(ApiOptions options, LoginThrottle throttle, Http.Sessions sessions, Http.AllowedOrigins origins)
{
    public const string CookieName = "em_session";
    private const string ThrottleKey = "api-token";
    private static readonly ApiUser Anonymous = new() { Token = string.Empty, Role = ApiUser.Operator, Name = "local-operator" };

    public bool Open => options.Users.Count == 0;

    /// <summary>The caller, or the status and title of the refusal.</summary>
    public AuthResult Authenticate(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress is { } peer ? Ingestion.Connecting.ClientAddresses.Normalise(peer) : null;
        if (Open)
        {
            return remote is null || System.Net.IPAddress.IsLoopback(remote)
                ? new AuthResult(Anonymous, ViaCookie: false)
                : AuthResult.Refused(403, "no API users are configured (Api:Users): only loopback callers are served");
        }

        string header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (Check(context, header["Bearer ".Length..].Trim()) is { } user)
            {
                return new AuthResult(user, ViaCookie: false);
            }

            return IsThrottled(context)
                ? AuthResult.Refused(429, "too many unknown tokens from this address; try again later")
                : AuthResult.Refused(401, "unknown bearer token");
        }

        if (context.Request.Cookies[CookieName] is { Length: > 0 } cookie)
        {
            return sessions.Find(cookie) is { } user
                ? new AuthResult(user, ViaCookie: true)
                : AuthResult.Refused(401, "the session has ended: log in again");
        }

        return AuthResult.Refused(401, "missing bearer token or session");
    }

    /// <summary>The user of a token, or null; an unknown one counts towards the client address's throttle.</summary>
    public ApiUser? Login(HttpContext context, string? token) => token is null ? null : Check(context, token);

    /// <summary>True when the client address has tried too many unknown tokens for now.</summary>
    public bool IsThrottled(HttpContext context) => throttle.IsLocked(Client(context), ThrottleKey);

    /// <summary>A new session of <paramref name="user"/>: its cookie is set on the answer.</summary>
    public void StartSession(HttpContext http, ApiUser user)
    {
        var (value, expires) = sessions.Open(user);
        http.Response.Cookies.Append(CookieName, value, CookieOptions(http, expires));
    }

    /// <summary>Ends the caller's session (server-side) and removes its cookie.</summary>
    public void EndSession(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is { Length: > 0 } cookie)
        {
            sessions.Close(cookie);
        }

        http.Response.Cookies.Delete(CookieName, CookieOptions(http, null));
    }

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps, // the original scheme, behind a trusted proxy
        Path = "/",
        IsEssential = true,
        Expires = expires,
    };

    private ApiUser? Check(HttpContext context, string token)
    {
        var user = Find(token);
        if (user is null)
        {
            throttle.Fail(Client(context), ThrottleKey);
        }

        return user;
    }

    private static string Client(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } peer ? Ingestion.Connecting.ClientAddresses.Normalise(peer).ToString() : "?";

    /// <summary>
    /// Cross-site request forgery guard for state-changing requests: an Origin (or, without one, a
    /// Referer) must name this service or an allowed origin; a cookie-authenticated request must carry one.
    /// </summary>
    public bool SameOrigin(HttpContext context, bool viaCookie)
    {
        var request = context.Request;
        string? origin = request.Headers.Origin.FirstOrDefault();
        if (string.IsNullOrEmpty(origin) && Uri.TryCreate(request.Headers.Referer.FirstOrDefault(), UriKind.Absolute, out var referer))
        {
            origin = referer.GetLeftPart(UriPartial.Authority);
        }

        if (string.IsNullOrEmpty(origin))
        {
            return !viaCookie;
        }

        return origins.Allows(origin, request.Host);
    }

    private ApiUser? Find(string token)
    {
        foreach (var u in options.Users)
        {
            if (System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(u.Token), System.Text.Encoding.UTF8.GetBytes(token)))
            {
                return u;
            }
        }

        return null;
    }
}

/// <summary>The outcome of authentication: a user, or a refusal's status and title.</summary>
public sealed record AuthResult(ApiUser? User, bool ViaCookie, int Status = 200, string? Title = null)
{
    public static AuthResult Refused(int status, string title) => new(null, false, status, title);
}
