using System.Text;
using EmissionMonitor.Hj212.Crypto;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Hj212.Tests;

/// <summary>HJ 212-2025 SM4 data segments: the standard's vectors (DOMAIN.md 1.12), errors, framing.</summary>
public sealed class EncryptionTests
{
    /// <summary>Appendix A.1: the CRC example, unchanged from 2017.</summary>
    private const string A1 = "##0087QN=20240601085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&&&2200\r\n";

    /// <summary>Appendix A.2: the plain frame of the encryption example (208-character region, 13 blocks).</summary>
    private const string A2Plain = "##0295QN=20240520210700000;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&DataTime=20240520210600;a01011-Min=1.35,a01011-Avg=1.35,a01011-Max=1.35,a01011-Flag=N;a01012-Min=9.3,a01012-Avg=9.3,a01012-Max=9.3,a01012-Flag=N;a01014-Min=3.20,a01014-Avg=3.211,a01014-Max=3.212,a01014-Flag=N&&2200\r\n";

    /// <summary>The region under the standard's test key, by OpenSSL (<c>openssl enc -sm4-ecb -nopad -K 3030…30</c>).</summary>
    private const string A2CipherHex = "e43e159acfab242cb53155fb8b9281a1a242577abfaed881be88b72d69fc55ed1a80119faac8b3cd33d285cc76f57f2ca7f88b9573c6647e0f07e24609bd6b63eb20c5b9784f28e71d2f4994ff61d9e1c2b3075592b4d1e09c4d8bb27be97b559e3da6643781a6f477769deeb009b10dfff3426922725d607dc4480f0cac5f70db2587b124bcb281592721d6e4bc180a97e5e111499cbe822e31c8d7761553543aa24207c290997bbde64f9266bc5f529a172e381c1d898ca1a0d771a914a7b2d7467c70b94f1d4a7b0350a48dbf8b41";

    private static readonly Sm4Key TestKey = Sm4Key.Parse("0000000000000000");
    private static readonly Sm4Key OtherKey = Sm4Key.Parse("Zx9Qw3Er5Ty7Ui1O");

    private static DecodeOptions With(params Sm4Key[] keys) => new() { Keys = mn => keys };

    private static string A2Sent()
    {
        var items = Convert.FromHexString(A2CipherHex).Select(b => $"0x{b:X2}");
        return A2Plain.Replace("CP=&&DataTime=20240520210600;a01011", "CP=&&{" + string.Join(",", items) + "}", StringComparison.Ordinal)
            .Replace("&&DataTime", string.Empty, StringComparison.Ordinal)[..^0]
            .Split("}")[0] + "}&&2200\r\n";
    }

    [Fact]
    public void TheA1CrcExample_Decodes_As2025()
    {
        var result = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A1));
        Assert.True(result.IsOk, result.Detail);
        Assert.Equal(Hj212Version.V2025, result.Packet!.Version);
        Assert.True(result.Packet.NeedsReply);
        Assert.False(result.Encrypted);
    }

    [Fact]
    public void TheA2Example_EncryptsToTheStandardsCipherText_KeepingThePlainLengthAndCrc()
    {
        var sent = Encoding.ASCII.GetString(Hj212Cipher.Encrypt(Encoding.ASCII.GetBytes(A2Plain), TestKey));
        Assert.StartsWith("##0295QN=20240520210700000;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&{0xE4,0x3E,0x15,0x9A,0xCF,0xAB,0x24,0x2C,0xB5,0x31,0x55,0xFB,0x8B,0x92,0x81,0xA1,", sent, StringComparison.Ordinal);
        Assert.EndsWith("}&&2200\r\n", sent, StringComparison.Ordinal);
        Assert.Equal(A2Sent(), sent);
        Assert.Equal(208 * 5 - 1 + 2, sent.IndexOf('}', StringComparison.Ordinal) - sent.IndexOf('{', StringComparison.Ordinal) + 1);
    }

    [Fact]
    public void TheA2Frame_Decrypts_IntoThePlainFramesPacket()
    {
        var plain = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A2Plain));
        var decrypted = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A2Sent()), With(TestKey));
        Assert.True(decrypted.IsOk, decrypted.Detail);
        Assert.True(decrypted.Encrypted);
        Assert.Equal(plain.Packet, decrypted.Packet);
        Assert.Equal(3.211m, decrypted.Packet!.Values.Single(v => v.Key == "a01014-Avg").Number);
        Assert.Equal(A2Plain, Encoding.ASCII.GetString(Hj212Encoder.Encode(decrypted.Packet)));
    }

    [Fact]
    public void ALengthFieldCountingTheSentSegment_IsAcceptedToo()
    {
        var sent = Hj212Cipher.Encrypt(Encoding.ASCII.GetBytes(A2Plain), TestKey, lengthCountsSent: true);
        Assert.Equal((sent.Length - 12).ToString("D4", System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(sent, 2, 4));
        var result = Hj212Decoder.Decode(sent, With(TestKey));
        Assert.True(result.IsOk, result.Detail);
        Assert.Equal(Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A2Plain)).Packet, result.Packet);
    }

    [Fact]
    public void WithoutAKey_ItIsNoKey_BeforeAnyLengthOrCrcCheck()
    {
        string sent = A2Sent();
        Assert.Equal(Hj212Errors.NoKey, Hj212Decoder.Decode(Encoding.ASCII.GetBytes(sent)).Error);
        Assert.Equal(Hj212Errors.NoKey, Hj212Decoder.Decode(Encoding.ASCII.GetBytes(sent.Replace("##0295", "##0999", StringComparison.Ordinal))).Error);
        Assert.Equal(Hj212Errors.NoKey, Hj212Decoder.Decode(Encoding.ASCII.GetBytes(sent.Replace("}&&2200", "}&&FFFF", StringComparison.Ordinal))).Error);
        Assert.Equal(Hj212Errors.NoKey, Hj212Decoder.Decode(Encoding.ASCII.GetBytes(sent.Replace(",0x3E,", ",0xZZ,", StringComparison.Ordinal))).Error);
        Assert.Equal(Hj212Errors.NoKey, Hj212Decoder.Decode(Encoding.ASCII.GetBytes(sent), new DecodeOptions { Keys = _ => [] }).Error);
    }

    [Theory]
    [InlineData(",0x3E,", ",0xZZ,")]
    [InlineData(",0x3E,", ",0x3E;")]
    [InlineData(",0x3E,", ",0x3E,0x3E,")] // 209 bytes: not whole blocks
    [InlineData("}&&2200", "&&2200")] // no closing brace
    [InlineData(",0x3E,", ",3E,")]
    public void MalformedCipherText_IsBadCipher(string from, string to)
    {
        var result = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(ReplaceFirst(A2Sent(), from, to)), With(TestKey));
        Assert.Equal(Hj212Errors.BadCipher, result.Error);
    }

    [Fact]
    public void ALengthThatCountsNeitherSegment_IsALengthMismatch_OnceTheKeyIsKnown()
    {
        var result = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A2Sent().Replace("##0295", "##0294", StringComparison.Ordinal)), With(TestKey));
        Assert.Equal(Hj212Errors.LengthMismatch, result.Error);
    }

    [Fact]
    public void AWrongKey_IsACrcMismatch_SaidToBeCheckedAfterDecryption()
    {
        var result = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A2Sent()), With(OtherKey));
        Assert.Equal(Hj212Errors.CrcMismatch, result.Error);
        Assert.Contains("after decryption", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("0000000000000000", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherKey.Reveal(), result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTwoKeys_TheOneThatGivesTheCrcWins()
    {
        var result = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A2Sent()), With(OtherKey, TestKey));
        Assert.True(result.IsOk, result.Detail);
        Assert.Same(TestKey, result.Packet!.DecryptedWith); // the key the terminal holds, for an answer it must read
        Assert.Null(Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A1)).Packet!.DecryptedWith);
    }

    [Fact]
    public void AShortTail_StaysPlain_AndTheRoundTripHolds()
    {
        var packet = new Hj212Builder { Qn = "20260105101500000", St = "32", Cn = "2061", Pw = "123456", Mn = "QHXN0020001", Flag = 9 }
            .DataTime(new DateTime(2026, 1, 5, 10, 0, 0)).Value("w01018", "Avg", 12.5m).Value("w01018", "Flag", "N").Build();
        var plain = Hj212Encoder.Encode(packet);
        var sent = Encoding.ASCII.GetString(Hj212Cipher.Encrypt(plain, OtherKey));
        string region = Encoding.ASCII.GetString(plain).Split("CP=&&")[1].Split("&&")[0];
        Assert.EndsWith("}" + region[(region.Length / 16 * 16)..] + "&&" + packet.Crc + "\r\n", sent, StringComparison.Ordinal);
        var back = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(sent), With(OtherKey));
        Assert.True(back.IsOk, back.Detail);
        Assert.Equal(packet, back.Packet);
    }

    [Fact]
    public void AStreamCutAtEveryPosition_GivesTheSameChunksAsTheWholeBuffer()
    {
        byte[] plainLength = Encoding.ASCII.GetBytes(A2Sent());
        byte[] sentLength = Hj212Cipher.Encrypt(Encoding.ASCII.GetBytes(A2Plain), TestKey, lengthCountsSent: true);
        byte[] bytes = [.. plainLength, .. Encoding.ASCII.GetBytes(A1), .. sentLength, .. "junk"u8, .. plainLength[..^2], .. Encoding.ASCII.GetBytes(A1)];
        var whole = Chunks(bytes, bytes.Length);
        Assert.Equal(["frame+enc ok", "frame ok", "frame+enc ok", "no-header", "frame+enc ok", "frame ok"], whole);
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Equal(whole, Chunks(bytes, cut));
        }
    }

    [Fact]
    public void TheKey_NeverShowsInItsText()
    {
        Assert.DoesNotContain("0000", TestKey.ToString(), StringComparison.Ordinal);
        Assert.False(Sm4Key.TryParse("short", out _, out string? why));
        Assert.DoesNotContain("short", why, StringComparison.Ordinal);
        var fresh = Sm4Key.NewRandom().Reveal();
        Assert.Matches("^[A-Za-z0-9]{16}$", fresh);
        Assert.NotEqual(fresh, Sm4Key.NewRandom().Reveal());
    }

    [Fact]
    public void Rf_IsReadAfterPnoAndBeforeCp()
    {
        var frame = new Hj212Builder { Qn = "20260105101500000", St = "32", Cn = "2061", Pw = "123456", Mn = "QHXN0020001", Flag = 11, Pnum = 2, Pno = 1, Rf = 1 }
            .DataTime(new DateTime(2026, 1, 5, 10, 0, 0)).Value("w01018", "Avg", 12.5m).Build();
        string text = Encoding.ASCII.GetString(Hj212Encoder.Encode(frame));
        Assert.Contains(";PNUM=2;PNO=1;RF=1;CP=&&", text, StringComparison.Ordinal);
        var decoded = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(text));
        Assert.Equal(1, decoded.Packet!.Rf);
        Assert.True(decoded.Packet.IsBackfill);
        Assert.Null(Hj212Decoder.Decode(Encoding.ASCII.GetBytes(A1)).Packet!.Rf);
        Assert.Equal(Hj212Errors.BadField, Hj212Decoder.Decode(Encoding.ASCII.GetBytes(Seal("QN=1;ST=32;CN=2061;MN=X;Flag=8;RF=yes;CP=&&&&"))).Error);
    }

    private static string Seal(string segment) =>
        $"##{segment.Length:D4}{segment}{Crc.Hj212Crc.Format(Crc.Hj212Crc.Compute(Encoding.ASCII.GetBytes(segment)))}\r\n";

    private static string ReplaceFirst(string text, string from, string to)
    {
        int i = text.IndexOf(from, StringComparison.Ordinal);
        return text[..i] + to + text[(i + from.Length)..];
    }

    /// <summary>The chunks of <paramref name="bytes"/> read as two pieces cut at <paramref name="cut"/>.</summary>
    private static List<string> Chunks(byte[] bytes, int cut)
    {
        var found = new List<string>();
        int offset = 0;
        int available = cut;
        while (offset < bytes.Length)
        {
            bool final = available == bytes.Length;
            var scan = FrameScanner.Scan(bytes.AsSpan(offset, available - offset), final);
            if (scan.Kind == ScanKind.NeedMore)
            {
                Assert.False(final);
                available = bytes.Length;
                continue;
            }

            var piece = bytes.AsSpan(offset, scan.Consumed);
            if (scan.Kind == ScanKind.Frame)
            {
                var result = Hj212Decoder.DecodeFrame(piece, scan, With(TestKey));
                found.Add((scan.Encrypted ? "frame+enc " : "frame ") + (result.Error ?? "ok"));
            }
            else if (scan.Kind == ScanKind.Error)
            {
                found.Add(scan.Error!);
            }

            offset += scan.Consumed;
        }

        return found;
    }
}
