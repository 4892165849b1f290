using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Registry;

/// <summary>A limit: a maximum, or a range such as pH 6–9.</summary>
public sealed record Limit(double? Min, double? Max);

/// <summary>
/// HJ 212-2025 encryption of a terminal's data segments: <c>off</c> (an encrypted frame is archived
/// as <c>no-key</c>), <c>optional</c> (both accepted), <c>required</c> (plain frames of the CNs the
/// standard says must be encrypted are rejected as <c>not-encrypted</c>).
/// </summary>
public enum EncryptionMode
{
    Off,
    Optional,
    Required,
}

/// <summary>
/// A monitored outlet (排口) and its terminal (MN, password; HJ 212-2025: its SM4 key and
/// encryption mode), with its national code (<see cref="Code"/>, DA001/DW001) when the registry gives it. <see cref="ProcessLimits"/> are process parameters watched for warnings only
/// (e.g. furnace temperature <c>a01901</c> at least 850 °C), never assessed as pollutants.
/// </summary>
public sealed record Outlet(
    string Mn,
    string Password,
    MediumKind Kind,
    string Name,
    string EnterpriseId,
    double? ReferenceO2,
    string FlowUnit,
    DateOnly? ActiveFrom,
    DateOnly? ActiveTo,
    IReadOnlyDictionary<string, Limit> Limits,
    Hj212.Crypto.Sm4Key? Sm4Key = null,
    EncryptionMode? Encryption = null,
    IReadOnlyDictionary<string, Limit>? ProcessLimits = null,
    IReadOnlyDictionary<string, double>? RangeMax = null,
    string? Code = null)
{
    /// <summary>
    /// The encryption mode in force: the registry's <c>encryption</c> when given, else
    /// <c>optional</c> when the terminal has a key (in the registry or in the store), else <c>off</c>.
    /// </summary>
    public EncryptionMode EffectiveEncryption(bool hasKey) => Encryption ?? (hasKey ? EncryptionMode.Optional : EncryptionMode.Off);
}

/// <summary>An enterprise with its outlets, permitted annual totals (tonnes, by 2017 code) and permit number (排污许可证编号), when the registry gives it.</summary>
public sealed record Enterprise(
    string Id,
    string Name,
    string City,
    string? Industry,
    IReadOnlyDictionary<string, double> Permits,
    IReadOnlyList<Outlet> Outlets,
    string? PermitNumber = null)
{
    /// <summary>Its production and treatment facilities whose power its terminals send (HJ 212-2025 ST=44); none by default.</summary>
    public IReadOnlyList<Facility> Facilities { get; init; } = [];
}
