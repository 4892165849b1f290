using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// The API section: users, and whether none are configured; the limits of what one user may file
/// and ask for come from <see cref="UserLimits"/> (the same section, the same keys).
/// </summary>
public sealed class ApiOptions : UserLimits
{
    public const string Section = "Api";

    public List<ApiUser> Users { get; set; } = [];

    /// <summary>The largest page (<c>limit</c>); a larger one is clamped to it. Default 100,000.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000_000, ErrorMessage = "Api:MaxLimit must be between 1 and 10000000")]
    public int MaxLimit { get; set; } = 100_000;

    /// <summary>The largest JSON request body. Default 1 MiB.</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 100 * 1024 * 1024, ErrorMessage = "Api:MaxBodyBytes must be between 1024 and 104857600")]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Reports computed at once (the rest wait their turn); keeps ingestion's share of the CPU. Default 2.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000, ErrorMessage = "Api:MaxConcurrentReports must be between 1 and 1000")]
    public int MaxConcurrentReports { get; set; } = 2;

    /// <summary>Requests waiting for a report slot; beyond it a 429 answers at once. Default 32.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 100_000, ErrorMessage = "Api:MaxQueuedReports must be between 0 and 100000")]
    public int MaxQueuedReports { get; set; } = 32;

    /// <summary>
    /// Files made while they are written (the exceedance and means downloads, the documents) at once,
    /// beside the reports' slots: a file holds its slot as long as its client takes to read it, so a
    /// slow download never keeps a page of the dashboard waiting. The rest wait in a queue of
    /// <see cref="MaxQueuedReports"/>. Default 2.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000, ErrorMessage = "Api:MaxConcurrentFiles must be between 1 and 1000")]
    public int MaxConcurrentFiles { get; set; } = 2;

    /// <summary>Origins besides the service's own from which state-changing requests are accepted (a reverse proxy's public name).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>HTTP connections from one remote address. Default 256.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "Api:MaxConnectionsPerAddress must be between 1 and 1000000")]
    public int MaxConnectionsPerAddress { get; set; } = 256;

    /// <summary>How long a dashboard session lasts after its login. Default 12 h.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Api:SessionLifetime must be between 1 minute and 30 days")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Live streams (<c>/api/alerts/stream</c>) one user may hold open at once; the oldest is closed for a new one beyond it. Default 4.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000, ErrorMessage = "Api:MaxStreamsPerUser must be between 1 and 1000")]
    public int MaxStreamsPerUser { get; set; } = 4;

    /// <summary>Events one live stream may have waiting for a slow reader; a reader that falls further behind is disconnected (it resumes with Last-Event-ID). Default 256.</summary>
    [System.ComponentModel.DataAnnotations.Range(16, 100_000, ErrorMessage = "Api:StreamQueue must be between 16 and 100000")]
    public int StreamQueue { get; set; } = 256;

    /// <summary>The most outlets one report document (a sheet each) may cover; larger scopes are refused with a word on how to narrow them.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 5000, ErrorMessage = "Api:MaxDocumentOutlets must be between 1 and 5000")]
    public int MaxDocumentOutlets { get; set; } = 200;

    /// <summary>Downloads (CSV, XLSX, whole tables) one user may run at once; more answer 429. Default 2.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000, ErrorMessage = "Api:MaxDownloadsPerUser must be between 1 and 1000")]
    public int MaxDownloadsPerUser { get; set; } = 2;

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
