using Microsoft.AspNetCore.Http;

namespace EmissionMonitor.Api;

/// <summary>
/// Bearer-token authentication (<c>Authorization: Bearer …</c>, or <c>access_token</c> for SSE and
/// the dashboard) against <c>Api:Users</c>. With no users configured every caller is an operator
/// (the service then binds HTTP to loopback only).
/// </summary>
public sealed class ApiAuth(ApiOptions options)
{
    private static readonly ApiUser Anonymous = new() { Token = string.Empty, Role = ApiUser.Operator, Name = "local-operator" };

    public bool Open => options.Users.Count == 0;

    /// <summary>The caller, or null when the token is missing or unknown.</summary>
    public ApiUser? Authenticate(HttpContext context)
    {
        if (Open)
        {
            return Anonymous;
        }

        string? token = null;
        string header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }

        token ??= context.Request.Query["access_token"].FirstOrDefault();
        return token is null ? null : options.Users.FirstOrDefault(u => string.Equals(u.Token, token, StringComparison.Ordinal));
    }
}
