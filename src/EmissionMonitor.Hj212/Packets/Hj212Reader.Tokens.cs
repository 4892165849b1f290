namespace EmissionMonitor.Hj212.Packets;

/// <summary>The CP tokens, enumerated as spans without allocating.</summary>
public readonly ref partial struct Hj212Reader
{
    /// <summary>Tokens split on <c>;</c> and <c>,</c>: <c>Key=Value</c>, or a bare key.</summary>
    public ref struct TokenEnumerator
    {
        private readonly ReadOnlySpan<byte> _area;
        private int _next;

        internal TokenEnumerator(ReadOnlySpan<byte> area)
        {
            _area = area;
            _next = 0;
            Current = default;
        }

        public Token Current { get; private set; }

        public readonly TokenEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next >= _area.Length)
            {
                return false;
            }

            int start = _next;
            var rest = _area[start..];
            int end = rest.IndexOfAny((byte)';', (byte)',');
            int length = end < 0 ? rest.Length : end;
            _next = start + length + 1;
            var text = rest[..length];
            int eq = text.IndexOf((byte)'=');
            Current = eq < 0
                ? new Token(text, default, false, start + length, end < 0 ? (byte)0 : rest[end])
                : new Token(text[..eq], text[(eq + 1)..], true, start + eq + 1, end < 0 ? (byte)0 : rest[end]);
            return true;
        }
    }

    /// <summary>One token; <see cref="ValueStart"/> is the value's offset in the area the enumerator walks.</summary>
    public readonly ref struct Token
    {
        internal Token(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool hasValue, int valueStart, byte separator)
        {
            Key = key;
            Value = value;
            HasValue = hasValue;
            ValueStart = valueStart;
            Separator = separator;
        }

        public ReadOnlySpan<byte> Key { get; }

        public ReadOnlySpan<byte> Value { get; }

        public bool HasValue { get; }

        public int ValueStart { get; }

        /// <summary>The separator that followed (<c>;</c> or <c>,</c>), 0 at the end.</summary>
        public byte Separator { get; }

        /// <summary>The code part of a <c>code-Suffix</c> key (before the first dash); empty for a parameter.</summary>
        public ReadOnlySpan<byte> Code => Key.IndexOf((byte)'-') is > 0 and var dash ? Key[..dash] : default;

        /// <summary>The suffix part of a <c>code-Suffix</c> key (after the first dash); empty for a parameter.</summary>
        public ReadOnlySpan<byte> Suffix => Key.IndexOf((byte)'-') is > 0 and var dash ? Key[(dash + 1)..] : default;
    }

    // A value always follows "KEY=", so it never starts at offset 0: (0, 0) means "absent".
}
