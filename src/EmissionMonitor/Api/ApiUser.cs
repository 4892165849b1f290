namespace EmissionMonitor.Api;

/// <summary>An API user from <c>Api:Users</c>: a bearer token, a role and, for enterprise users, their enterprise.</summary>
public sealed class ApiUser
{
    public const string Operator = "operator";
    public const string Inspector = "inspector";
    public const string EnterpriseRole = "enterprise";

    public string Token { get; set; } = string.Empty;

    public string Role { get; set; } = string.Empty;

    public string? Enterprise { get; set; }

    public string? Name { get; set; }

    /// <summary>Who the user is in records (acknowledgements, lifts): the name, or the role.</summary>
    public string DisplayName => Name ?? (Enterprise is null ? Role : $"{Role}:{Enterprise}");
}

/// <summary>The API section: users, and whether none are configured.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public List<ApiUser> Users { get; set; } = [];

    /// <summary>Checks the users; a bad entry stops start-up naming it.</summary>
    public void Validate(Registry.StationRegistry registry)
    {
        for (int i = 0; i < Users.Count; i++)
        {
            var u = Users[i];
            if (string.IsNullOrWhiteSpace(u.Token) || u.Token.Length < 8)
            {
                throw new ConfigurationException($"Api:Users:{i}:Token must be at least 8 characters");
            }

            if (u.Role is not (ApiUser.Operator or ApiUser.Inspector or ApiUser.EnterpriseRole))
            {
                throw new ConfigurationException($"Api:Users:{i}:Role must be operator, inspector or enterprise, not '{u.Role}'");
            }

            if (u.Role == ApiUser.EnterpriseRole && (u.Enterprise is null || registry.FindEnterprise(u.Enterprise) is null))
            {
                throw new ConfigurationException($"Api:Users:{i}:Enterprise must name a registry enterprise for an enterprise user");
            }
        }

        if (Users.Select(u => u.Token).Distinct(StringComparer.Ordinal).Count() != Users.Count)
        {
            throw new ConfigurationException("Api:Users: tokens must be unique");
        }
    }
}
