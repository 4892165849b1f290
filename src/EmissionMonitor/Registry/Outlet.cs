using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Registry;

/// <summary>A limit: a maximum, or a range such as pH 6–9.</summary>
public sealed record Limit(double? Min, double? Max);

/// <summary>A monitored outlet (排口) and its terminal (MN, password).</summary>
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
    IReadOnlyDictionary<string, Limit> Limits);

/// <summary>An enterprise with its outlets and permitted annual totals (tonnes, by 2017 code).</summary>
public sealed record Enterprise(
    string Id,
    string Name,
    string City,
    string? Industry,
    IReadOnlyDictionary<string, double> Permits,
    IReadOnlyList<Outlet> Outlets);
