using System.Net;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Api;

/// <summary>
/// Who a caller is: a bearer token (<c>Authorization: Bearer …</c>), the dashboard's session cookie
/// (set by <c>POST /api/session</c>, HttpOnly and SameSite=Strict), or — on the SSE stream only —
/// <c>access_token</c>, checked against <c>Api:Users</c>. Failed tokens are throttled per address.
/// With no users configured every loopback caller is an operator and any other caller is refused,
/// whatever addresses Kestrel was told to bind. State-changing requests must come from the
/// dashboard's own origin (or <c>Api:AllowedOrigins</c>) when they carry an Origin, and always when
/// they are authenticated by the cookie.
/// </summary>
public sealed class ApiAuth(ApiOptions options, LoginThrottle throttle)
{
    public const string CookieName = "em_session";
    public const string StreamPath = "/api/alerts/stream";
    private const string ThrottleKey = "api-token";
    private static readonly ApiUser Anonymous = new() { Token = string.Empty, Role = ApiUser.Operator, Name = "local-operator" };

    public bool Open => options.Users.Count == 0;

    /// <summary>The caller, or the status and title of the refusal.</summary>
    public AuthResult Authenticate(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
        if (Open)
        {
            return remote is null || IPAddress.IsLoopback(remote)
                ? new AuthResult(Anonymous, ViaCookie: false)
                : AuthResult.Refused(403, "no API users are configured (Api:Users): only loopback callers are served");
        }

        string peer = remote?.ToString() ?? "?";
        if (throttle.IsLocked(peer, ThrottleKey))
        {
            return AuthResult.Refused(429, "too many unknown tokens from this address; try again later");
        }

        bool viaCookie = false;
        string? token = null;
        string header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (context.Request.Path.Equals(StreamPath, StringComparison.Ordinal) && context.Request.Query["access_token"].FirstOrDefault() is { } query)
        {
            token = query;
        }
        else if (context.Request.Cookies[CookieName] is { Length: > 0 } cookie)
        {
            token = cookie;
            viaCookie = true;
        }

        if (token is null)
        {
            return AuthResult.Refused(401, "missing bearer token or session");
        }

        var user = Find(token);
        if (user is null)
        {
            throttle.Fail(peer, ThrottleKey);
            return AuthResult.Refused(401, "unknown bearer token or session");
        }

        return new AuthResult(user, viaCookie);
    }

    /// <summary>The user of a token, or null; failures count towards the address's throttle.</summary>
    public ApiUser? Login(HttpContext context, string? token)
    {
        string peer = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (token is null || throttle.IsLocked(peer, ThrottleKey))
        {
            return null;
        }

        var user = Find(token);
        if (user is null)
        {
            throttle.Fail(peer, ThrottleKey);
        }

        return user;
    }

    /// <summary>True when the address may not try tokens for now.</summary>
    public bool IsThrottled(HttpContext context) => throttle.IsLocked(context.Connection.RemoteIpAddress?.ToString() ?? "?", ThrottleKey);

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

        if (options.AllowedOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
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
