using Microsoft.AspNetCore.Http;

namespace EmissionMonitor.Api;

/// <summary>An endpoint filter: 401 without a valid token, 403 when the role is not allowed; the user is kept in HttpContext.Items.</summary>
public sealed class RoleFilter(ApiAuth auth, params string[] roles) : IEndpointFilter
{
    public const string UserKey = "em-user";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var user = auth.Authenticate(context.HttpContext);
        if (user is null)
        {
            return Results.Problem(statusCode: 401, title: "missing or unknown bearer token");
        }

        if (!roles.Contains(user.Role))
        {
            return Results.Problem(statusCode: 403, title: $"role {user.Role} may not do this");
        }

        context.HttpContext.Items[UserKey] = user;
        return await next(context);
    }

    public static ApiUser User(HttpContext context) => (ApiUser)context.Items[UserKey]!;
}
