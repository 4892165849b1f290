using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// An endpoint filter: 401 without a valid token or session, 403 when the role is not allowed or a
/// state-changing request comes from another origin; the user is kept in HttpContext.Items.
/// </summary>
public sealed class RoleFilter(ApiAuth auth, params string[] roles) : IEndpointFilter
{
    public const string UserKey = "em-user";

    /// <summary>The roles that may call the endpoint.</summary>
    public IReadOnlyList<string> Roles => roles;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = auth.Authenticate(http);
        if (result.User is not { } user)
        {
            return Results.Problem(statusCode: result.Status, title: result.Title);
        }

        if (!roles.Contains(user.Role))
        {
            return Results.Problem(statusCode: 403, title: $"role {user.Role} may not do this");
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !auth.SameOrigin(http, result.ViaCookie))
        {
            return Results.Problem(statusCode: 403, title: "cross-site request refused: Origin does not name this service");
        }

        http.Items[UserKey] = user;
        return await next(context);
    }

    public static ApiUser User(HttpContext context) => (ApiUser)context.Items[UserKey]!;

    /// <summary>
    /// The enterprise a request's figures are narrowed to: the <c>enterprise</c> asked, and for an
    /// enterprise user always its own (asking for another is the 403 returned).
    /// </summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Enterprise(HttpContext context, out string? enterprise)
    {
        var user = User(context);
        enterprise = context.Request.Query["enterprise"].FirstOrDefault();
        if (user.Role != ApiUser.EnterpriseRole)
        {
            return null;
        }

        if (enterprise is not null && enterprise != user.Enterprise)
        {
            return TypedResults.Problem(statusCode: 403, title: "an enterprise user sees only its own enterprise");
        }

        enterprise = user.Enterprise;
        return null;
    }

    /// <summary>
    /// Whose share a request counts against (live streams, downloads): the user's token; without
    /// users configured (loopback callers are all one anonymous operator), the caller's address.
    /// </summary>
    public static string ShareKey(HttpContext context) =>
        User(context) is { Token.Length: > 0 } user ? user.Token : "local:" + context.Connection.RemoteIpAddress;
}

/// <summary>Endpoints for some roles only.</summary>
public static class RoleFilters
{
    /// <summary>Only the filter's roles may call the group's endpoints; the filter is also their metadata (the OpenAPI document names the roles and answers 401/403/429).</summary>
    public static RouteGroupBuilder RequireRole(this RouteGroupBuilder group, RoleFilter filter) => group.AddEndpointFilter(filter).WithMetadata(filter);
}

/// <summary>
/// An area of the API (alerts, marks, orders, …): one route group under the area's path, tagged with
/// its name in the OpenAPI document, and within it a group per set of roles (<see cref="For"/>), so an
/// endpoint is mapped by its path in the area and the roles come from the group it is mapped on.
/// </summary>
public sealed class ApiArea(IEndpointRouteBuilder app, ApiAuth auth, string prefix, string tag)
{
    private readonly RouteGroupBuilder _group = app.MapGroup(prefix).WithTags(tag);

    /// <summary>Everyone, operators, inspectors and enterprises (an enterprise's answers narrowed to its own by the handler).</summary>
    public static readonly string[] Everyone = [ApiUser.Operator, ApiUser.Inspector, ApiUser.EnterpriseRole];

    /// <summary>The bureau's staff: operators and inspectors.</summary>
    public static readonly string[] Staff = [ApiUser.Operator, ApiUser.Inspector];

    /// <summary>Operators and enterprises: those who file (marks, manual data, evidence).</summary>
    public static readonly string[] Filers = [ApiUser.Operator, ApiUser.EnterpriseRole];

    /// <summary>Operators only.</summary>
    public static readonly string[] Operators = [ApiUser.Operator];

    /// <summary>Enterprises only.</summary>
    public static readonly string[] Enterprises = [ApiUser.EnterpriseRole];

    /// <summary>The area's endpoints that <paramref name="roles"/> may call.</summary>
    public RouteGroupBuilder For(string[] roles) => _group.MapGroup(string.Empty).RequireRole(new RoleFilter(auth, roles));

    /// <summary>An endpoint's path as people write it: an area's own path (mapped as the group's empty pattern) without the trailing slash routing gives it.</summary>
    public static string PathOf(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? string.Empty).Trim('/');

    /// <summary>The area's endpoints open without login (the public page's).</summary>
    public RouteGroupBuilder Open => _group;
}
