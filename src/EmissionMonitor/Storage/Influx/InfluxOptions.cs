using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Storage.Influx;

/// <summary>The InfluxDB backend (configuration section <c>Influx</c>).</summary>
public sealed class InfluxOptions
{
    public const string Section = "Influx";

    /// <summary>The server, e.g. <c>http://127.0.0.1:8086</c>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8086";

    /// <summary>The bucket (the database on InfluxDB 1.x).</summary>
    [Required(ErrorMessage = "Influx:Bucket is required")]
    public string Bucket { get; set; } = "emission";

    /// <summary>The organisation (InfluxDB 2.x/3.x; ignored by 1.x).</summary>
    public string Org { get; set; } = "emission";

    /// <summary>The API token (2.x/3.x), or <c>user:password</c> for 1.x with authentication.</summary>
    public string? Token { get; set; }

    /// <summary><c>v2</c>: the v2 write API through InfluxDB.Client (2.x, 3.x, 1.8+); <c>v1</c>: POST /write?db= (1.x before 1.8).</summary>
    [RegularExpression("^(v1|v2)$", ErrorMessage = "Influx:WriteApi must be v1 or v2")]
    public string WriteApi { get; set; } = "v2";

    /// <summary>How long one write or query may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Influx:Timeout must be between 1 s and 10 min")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
