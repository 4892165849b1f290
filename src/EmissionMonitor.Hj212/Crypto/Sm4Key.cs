using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace EmissionMonitor.Hj212.Crypto;

/// <summary>
/// An SM4 key as HJ 212-2025 carries it (§6.4.3, <c>NewSK</c>): 16 characters whose ASCII bytes are
/// the 128-bit key; the standard's test key is <c>0000000000000000</c>. The cipher is BouncyCastle's
/// SM4 engine, used block by block (ECB, no padding). The key text never appears in
/// <see cref="ToString"/>; <see cref="Reveal"/> is for the one place that must hand it on.
/// </summary>
public sealed class Sm4Key : IEquatable<Sm4Key>
{
    /// <summary>Characters (and bytes) in a key.</summary>
    public const int Length = 16;

    /// <summary>Bytes in an SM4 block.</summary>
    public const int BlockSize = 16;

    private readonly byte[] _key;
    private readonly string _text;

    // SM4Engine keeps its round keys and is not thread-safe: initialised engines are rented from a
    // small pool per direction (as many as threads use the key at once).
    private readonly System.Collections.Concurrent.ConcurrentBag<SM4Engine> _encrypt = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<SM4Engine> _decrypt = [];

    private Sm4Key(string text)
    {
        _text = text;
        _key = System.Text.Encoding.ASCII.GetBytes(text);
    }

    /// <summary>
    /// A key from its 16 characters; false with a reason when the text is not 16 printable ASCII
    /// characters (the reason never repeats the text).
    /// </summary>
    public static bool TryParse(string? text, out Sm4Key? key, out string? reason)
    {
        key = null;
        if (text is null || text.Length != Length)
        {
            reason = $"an SM4 key is {Length} characters, not {text?.Length ?? 0}";
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '!' or > '~')
            {
                reason = "an SM4 key is printable ASCII characters only";
                return false;
            }
        }

        key = new Sm4Key(text);
        reason = null;
        return true;
    }

    /// <summary>A key from its 16 characters; throws <see cref="FormatException"/> when it is not one.</summary>
    public static Sm4Key Parse(string text) =>
        TryParse(text, out var key, out string? reason) ? key! : throw new FormatException(reason);

    /// <summary>
    /// A fresh random key of 16 characters from <c>[A-Za-z0-9]</c> (what CN 1014 carries), drawn
    /// from the system's cryptographic generator; never fixed or patterned (§6.4.3).
    /// </summary>
    public static Sm4Key NewRandom()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return new Sm4Key(System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, Length));
    }

    /// <summary>The key's 16 characters: only for handing the key to its terminal or its operator.</summary>
    public string Reveal() => _text;

    /// <summary>Encrypts whole blocks; <paramref name="data"/>'s length must be a multiple of 16.</summary>
    public void EncryptBlocks(ReadOnlySpan<byte> data, Span<byte> output) => Process(_encrypt, true, data, output);

    /// <summary>Decrypts whole blocks; <paramref name="data"/>'s length must be a multiple of 16.</summary>
    public void DecryptBlocks(ReadOnlySpan<byte> data, Span<byte> output) => Process(_decrypt, false, data, output);

    private void Process(System.Collections.Concurrent.ConcurrentBag<SM4Engine> pool, bool encrypt, ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (data.Length % BlockSize != 0 || output.Length < data.Length)
        {
            throw new ArgumentException("SM4 ECB works on whole 16-byte blocks", nameof(data));
        }

        if (!pool.TryTake(out var engine))
        {
            engine = Engine(encrypt);
        }

        for (int i = 0; i < data.Length; i += BlockSize)
        {
            engine.ProcessBlock(data.Slice(i, BlockSize), output.Slice(i, BlockSize));
        }

        pool.Add(engine);
    }

    private SM4Engine Engine(bool encrypt)
    {
        var engine = new SM4Engine();
        engine.Init(encrypt, new KeyParameter(_key));
        return engine;
    }

    public bool Equals(Sm4Key? other) => other is not null && _key.AsSpan().SequenceEqual(other._key);

    public override bool Equals(object? obj) => obj is Sm4Key k && Equals(k);

    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);

    /// <summary>Never the key itself.</summary>
    public override string ToString() => "Sm4Key(hidden)";
}
