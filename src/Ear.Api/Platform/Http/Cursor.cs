using System.Buffers.Text;

namespace Ear.Api.Platform.Http;

/// <summary>Keyset pagination: the opaque cursor is the last id of the page, base64url-encoded.</summary>
internal static class Cursor
{
    public static string Encode(Guid lastId) => Base64Url.EncodeToString(lastId.ToByteArray(bigEndian: true));

    public static Guid? Decode(string cursor)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(cursor);
            return bytes.Length == 16 ? new Guid(bytes, bigEndian: true) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
