namespace Ear.Api.Platform.Http;

/// <summary>Thrown by <see cref="LimitedStream"/> when a body goes past its limit.</summary>
internal sealed class BodyTooLargeException(long limit) : IOException($"The body is larger than {limit} bytes.");

/// <summary>
/// Reads a request body and throws as soon as more than <c>limit</c> bytes have come, whatever the
/// Content-Length said (it may be absent or false), so that nothing oversized is ever buffered whole.
/// </summary>
internal sealed class LimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw new BodyTooLargeException(limit) : read;
    }
}
