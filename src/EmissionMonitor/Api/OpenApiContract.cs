using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EmissionMonitor.Api;

/// <summary>
/// The OpenAPI document (<c>GET /openapi/v1.json</c>, Microsoft.AspNetCore.OpenApi) told what the
/// handlers read themselves: every query parameter of the contracts in README, the roles an endpoint
/// admits (from its <see cref="RoleFilter"/>) and the problems it answers — 400 naming the parameter,
/// 401 and 403 for protected endpoints, 404 for one thing by id, 409 for a state that does not allow
/// the step, 413 for an upload, 429 for too many requests — as RFC 7807 problem details.
/// </summary>
internal sealed class OpenApiContract : IOpenApiOperationTransformer
{
    private static readonly (string Name, string Description)[] Page = [("limit", "rows per page (1000 by default, Api:MaxPageSize at most)"), ("offset", "rows to skip")];

    private static readonly (string Name, string Description)[] Files = [("format", "json (default), csv (UTF-8 with a BOM) or xlsx"), ("lang", "zh: Chinese column headers in files")];

    private static readonly (string Name, string Description)[] Period =
    [
        ("quarter", "a quarter such as 2025Q3 (not with from/to)"), ("from", "local start, YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss]; the current quarter's start by default"),
        ("to", "local end, exclusive; now by default"),
    ];

    private static readonly (string Name, string Description)[] Registry =
        [("city", "a city of the registry"), ("enterprise", "an enterprise id of the registry"), ("mn", "an outlet's MN"), ("pollutant", "a 2017 pollutant code such as a21026")];

    private static readonly (string Name, string Description)[] Identifiers =
        [("permit", "an enterprise's permit number (排污许可证编号)"), ("code", "an outlet's national code such as DA001 or DW001")];

    private static readonly (string Name, string Description)[] AlertFilters =
    [
        ("state", "active, acknowledged, cleared, or open (the first two)"), ("kind", "an alert kind"), ("subKind", "an anomaly's or outage's sub-kind"),
        ("severity", "critical, warning or info"), ("assignee", "the user the alert is assigned to"), .. Registry,
    ];

    private static readonly Dictionary<string, (string Name, string Description)[]> Query = new(StringComparer.Ordinal)
    {
        ["api/alerts"] = [.. AlertFilters, .. Page, .. Files],
        ["api/alerts/counts"] = AlertFilters,
        ["api/alerts/handling"] = [.. Period, ("by", "province, city (default) or enterprise"), .. Page, .. Files],
        ["api/alerts/stream"] = [("lastEventId", "resume after this event (or the Last-Event-ID header)")],
        ["api/barometer"] = [("year", "the year (this year by default)"), .. Files],
        ["api/orders"] = [("state", "open, answered or closed"), ("mn", "an outlet's MN"), ("city", "a city"), ("overdue", "true or false"), .. Page, .. Files],
        ["api/marks"] = [("mn", "an outlet's MN"), ("from", "local start"), ("to", "local end"), ("state", "pending, approved, rejected or revoked"), ("kind", "a mark kind"), .. Page, .. Files],
        ["api/notifications"] = Page,
        ["api/outlets/{mn}/readings"] = [("cn", "2011 real-time, 2051 minute, 2061 hourly or 2031 daily"), ("from", "local start"), ("to", "local end"), .. Page],
        ["api/outlets/{mn}/commands"] = [.. Page, .. Files],
        ["api/publications"] = Files,
        ["api/checks"] = [("category", "decode, intake, flag, validity, anomaly or mark-effect"), .. Files],
        ["api/permits/deadlines"] = [("year", "the year of the due days (this year by default)"), ("from", "first due day YYYY-MM-DD"), ("to", "due days before this one"),
            ("enterprise", "an enterprise id of the registry"), ("state", "generated, upcoming or overdue"), .. Page, .. Files],
        ["api/documents/{kind}"] = [("date", "daily: YYYY-MM-DD"), ("month", "monthly, execution: YYYY-MM"), ("quarter", "quarterly, execution: 2025Q3"),
            ("half", "execution: 2025H1"), ("year", "annual, execution: YYYY"), ("city", "a city"), ("enterprise", "an enterprise id (execution needs it)"), ("mn", "an outlet's MN"),
            ("lang", "zh (default) or en")],
        ["api/tax"] = [("month", "YYYY-MM (the previous month by default)"), ("by", "outlet (default), enterprise, city or province"), ("city", "a city of the registry"),
            ("enterprise", "an enterprise id of the registry"), ("mn", "an outlet's MN"), ("pollutant", "a 2017 pollutant code"), .. Page, .. Files],
    };

    static OpenApiContract()
    {
        foreach (var kind in Reports.ReportRequest.Kinds)
        {
            Query["api/" + kind] = [.. Period, .. Registry, .. Identifiers, ("by", "pollutant, outlet, enterprise, city or province"), .. Page, .. Files];
        }

        Query["api/means"] = [.. Period, .. Registry, .. Identifiers, ("period", "day (default), month, quarter or year: the unit of the means"), .. Page, .. Files];
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        string path = (description.RelativePath ?? string.Empty).TrimEnd('/'); // an area's own path is its group's empty pattern
        operation.Parameters ??= [];
        foreach (var (name, text) in Query.GetValueOrDefault(path, []))
        {
            if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Query))
            {
                operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = text, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }
        }

        operation.Responses ??= [];
        var roles = description.ActionDescriptor.EndpointMetadata.OfType<RoleFilter>().FirstOrDefault()?.Roles;
        bool changes = description.HttpMethod is "POST" or "PUT" or "DELETE";
        if (roles is not null)
        {
            operation.Description = $"{operation.Description}Roles: {string.Join(", ", roles)}.".Trim();
            Problem(operation, "401", "no valid token or session");
            Problem(operation, "403", "the role may not do this, or a state-changing request from another origin");
            Problem(operation, "429", "too many requests: of this client, of failed logins, of downloads (Api:MaxDownloadsPerUser) or of report slots");
        }

        if (changes || Query.ContainsKey(path) || operation.Parameters.Count > 0)
        {
            Problem(operation, "400", "a parameter or the body is not valid: the problem's parameter names it");
        }

        if (path.Contains('{', StringComparison.Ordinal))
        {
            Problem(operation, "404", "no such thing (or not one the caller may see)");
        }

        if (changes && path.Contains('{', StringComparison.Ordinal))
        {
            Problem(operation, "409", "the state does not allow this step");
        }

        if (path.EndsWith("/evidence", StringComparison.Ordinal) && changes)
        {
            Problem(operation, "413", "the file is larger than Api:MaxEvidenceBytes");
            Problem(operation, "415", "not a PDF, JPEG or PNG by content");
        }

        return Task.CompletedTask;
    }

    /// <summary>RFC 7807 problem details as the service writes them (a 400 adds the parameter it is about).</summary>
    private static readonly OpenApiSchema ProblemSchema = new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["parameter"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    private static void Problem(OpenApiOperation operation, string status, string text)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/problem+json"] = new() { Schema = ProblemSchema },
            },
        };
    }
}
