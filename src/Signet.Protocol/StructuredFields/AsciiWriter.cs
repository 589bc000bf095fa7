using System.Buffers;

namespace Signet.Protocol.StructuredFields;

/// <summary>A growable byte buffer rented from the shared pool, for building signature bases and field values
/// without intermediate strings. Characters are written as single bytes (Latin-1: what an HTTP field value's
/// octets are); anything above U+00FF makes <see cref="Failed"/> true instead of throwing.</summary>
internal sealed class AsciiWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public AsciiWriter(int initialCapacity = 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>True once a character that has no single-octet form was written.</summary>
    public bool Failed { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public void Write(char c)
    {
        if (c > '\u00FF')
        {
            Failed = true;
            return;
        }

        Ensure(1);
        _buffer[_length++] = (byte)c;
    }

    public void Write(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        var target = _buffer.AsSpan(_length, text.Length);

        // Vectorized for the usual all-ASCII text; the loop below handles the rest (Latin-1, or failure).
        if (System.Text.Ascii.FromUtf16(text, target, out _) == System.Buffers.OperationStatus.Done)
        {
            _length += text.Length;
            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c > '\u00FF')
            {
                Failed = true;
                return;
            }

            target[i] = (byte)c;
        }

        _length += text.Length;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteInteger(long value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _length += written;
    }

    public void WriteBase64(ReadOnlySpan<byte> bytes)
    {
        var size = ((bytes.Length + 2) / 3) * 4;
        Ensure(size);
        System.Buffers.Text.Base64.EncodeToUtf8(bytes, _buffer.AsSpan(_length), out _, out var written);
        _length += written;
    }

    public override string ToString() => System.Text.Encoding.Latin1.GetString(WrittenSpan);

    public void Clear()
    {
        _length = 0;
        Failed = false;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
