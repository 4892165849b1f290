namespace EmissionMonitor.Hj212.Packets;

/// <summary>A decoded packet, or an error code from <see cref="Hj212Errors"/> with a detail.</summary>
public readonly record struct DecodeResult(Hj212Packet? Packet, string? Error, string? Detail)
{
    /// <summary>True when <see cref="Packet"/> is set.</summary>
    public bool IsOk => Packet is not null;

    /// <summary>True when the CRC was accepted only as a byte-swapped CRC-16/MODBUS.</summary>
    public bool ModbusCrc { get; init; }

    /// <summary>True when the data segment arrived SM4-encrypted (HJ 212-2025) and was decrypted.</summary>
    public bool Encrypted { get; init; }

    internal static DecodeResult Fail(string error, string detail) => new(null, error, detail);
}
