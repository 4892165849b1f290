namespace EmissionMonitor.Hj212.Crc;

/// <summary>
/// The CRC of HJ 212 Appendix A. It is not CRC-16/MODBUS: each step discards the low byte of the
/// register (<c>reg = (reg &gt;&gt; 8) ^ b</c>) before eight reflected 0xA001 shifts. Because
/// <c>(reg &gt;&gt; 8) ^ b</c> is always below 256, the eight shifts depend on that one byte only, so
/// the standard's bit loop reduces exactly to one table lookup per byte.
/// </summary>
public static class Hj212Crc
{
    private static readonly ushort[] Table = BuildTable();

    /// <summary>Computes the HJ 212 CRC of a data segment (from <c>QN=</c>/<c>ST=</c> through the final <c>&amp;&amp;</c>).</summary>
    public static ushort Compute(ReadOnlySpan<byte> segment)
    {
        int reg = 0xFFFF;
        foreach (byte b in segment)
        {
            reg = Table[(reg >> 8) ^ b];
        }

        return (ushort)reg;
    }

    /// <summary>The standard's bit loop, kept as the reference the table is checked against.</summary>
    internal static ushort ComputeBitwise(ReadOnlySpan<byte> segment)
    {
        int reg = 0xFFFF;
        foreach (byte b in segment)
        {
            reg = (reg >> 8) ^ b;
            for (int j = 0; j < 8; j++)
            {
                bool lsb = (reg & 1) != 0;
                reg >>= 1;
                if (lsb)
                {
                    reg ^= 0xA001;
                }
            }
        }

        return (ushort)reg;
    }

    /// <summary>
    /// CRC-16/MODBUS written low byte first, as some devices send instead of the HJ 212 CRC.
    /// Returned already swapped, so it compares with the four hex characters as sent.
    /// </summary>
    public static ushort ComputeModbusSwapped(ReadOnlySpan<byte> segment)
    {
        int reg = 0xFFFF;
        foreach (byte b in segment)
        {
            reg ^= b;
            for (int j = 0; j < 8; j++)
            {
                bool lsb = (reg & 1) != 0;
                reg >>= 1;
                if (lsb)
                {
                    reg ^= 0xA001;
                }
            }
        }

        return (ushort)(((reg & 0xFF) << 8) | (reg >> 8));
    }

    /// <summary>Parses four hex characters (either case). False when any is not a hex digit.</summary>
    public static bool TryParseHex(ReadOnlySpan<byte> text, out ushort value)
    {
        value = 0;
        if (text.Length != 4)
        {
            return false;
        }

        int v = 0;
        foreach (byte c in text)
        {
            int d = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                _ => -1,
            };
            if (d < 0)
            {
                return false;
            }

            v = (v << 4) | d;
        }

        value = (ushort)v;
        return true;
    }

    /// <summary>The CRC as the standard writes it: four upper-case hex digits, high byte first.</summary>
    public static string Format(ushort crc) => crc.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            int reg = i;
            for (int j = 0; j < 8; j++)
            {
                bool lsb = (reg & 1) != 0;
                reg >>= 1;
                if (lsb)
                {
                    reg ^= 0xA001;
                }
            }

            table[i] = (ushort)reg;
        }

        return table;
    }
}
