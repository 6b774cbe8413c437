using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;

namespace Ear.Api.Features.Experts;

/// <summary>
/// Where a search page ends. Without q the results are in id order and the cursor is the last id (the
/// platform's <see cref="Cursor"/>). With q they are in (tier, id) order (<see cref="MatchTier"/>), and the
/// cursor carries the tier, the last id and a fingerprint of q: a cursor of one q used with another would
/// silently skip or repeat experts, so it is refused instead. Opaque to callers: only its round trip is promised.
/// </summary>
internal readonly record struct SearchCursor(MatchTier Tier, Guid After)
{
    private const byte RankedFormat = 1;
    private const int RankedLength = 1 + 1 + 8 + 16;

    public string Encode(string? words)
    {
        if (words is null)
        {
            return Cursor.Encode(After);
        }

        var bytes = new byte[RankedLength];
        bytes[0] = RankedFormat;
        bytes[1] = (byte)Tier;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(2), Fingerprint(words));
        After.TryWriteBytes(bytes.AsSpan(10), bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The cursor of a page of this q (null: the first page); a cursor that is not one is named in <paramref name="errors"/>.</summary>
    public static SearchCursor? Read(ValidationErrors errors, string? cursor, string? words)
    {
        if (cursor is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            bytes = [];
        }

        if (words is null)
        {
            if (bytes.Length == 16)
            {
                return new SearchCursor(MatchTier.None, new Guid(bytes, bigEndian: true));
            }
        }
        else if (bytes is [RankedFormat, >= (byte)MatchTier.NamesOrThemes and <= (byte)MatchTier.Cv, ..] && bytes.Length == RankedLength)
        {
            if (BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(2)) != Fingerprint(words))
            {
                errors.Add("cursor", "This cursor continues a search with another q: pass the nextCursor of the previous page with the same q, or no cursor to start again.");
                return null;
            }

            return new SearchCursor((MatchTier)bytes[1], new Guid(bytes.AsSpan(10), bigEndian: true));
        }

        errors.Add("cursor", words is null
            ? "Not a cursor of a search without q: pass the nextCursor of the previous page unchanged, with the same q."
            : "Not a cursor of a search with q: pass the nextCursor of the previous page unchanged, with the same q.");
        return null;
    }

    /// <summary>The same for every spelling of q that searches alike (case and surrounding spaces aside).</summary>
    private static ulong Fingerprint(string words) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(words.Trim().ToLowerInvariant())));
}
