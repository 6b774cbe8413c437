using System.Buffers.Binary;
using System.Buffers.Text;

namespace Ear.Api.Features.Changes;

/// <summary>
/// A place in the change feed: the commit position of the last event read and its sequence number within
/// the feed (a transaction's events share a position). Both are numbers the database assigned once, so a
/// cursor means the same on every instance and after any restart. Opaque on the wire: base64url of a version
/// byte and the two numbers.
/// </summary>
internal readonly record struct ChangeCursor(long Position, long Seq)
{
    private const byte Version = 1;

    public static readonly ChangeCursor Start = new(0, 0);

    /// <summary>Whether this place comes before <paramref name="other"/> in the feed.</summary>
    public bool IsBefore(ChangeCursor other) => Position < other.Position || (Position == other.Position && Seq < other.Seq);

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], Position);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], Seq);
        return Base64Url.EncodeToString(bytes);
    }

    public static ChangeCursor? Decode(string text)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(text);
            if (bytes.Length != 17 || bytes[0] != Version)
            {
                return null;
            }

            var cursor = new ChangeCursor(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)));
            return cursor.Position < 0 || cursor.Seq < 0 ? null : cursor;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
