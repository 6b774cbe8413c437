using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Ear.Api.Auth;

/// <summary>
/// Who each recently seen key is, so that authenticating a request needs no database round trip
/// (decision 0015). It holds SHA-256 hashes of secrets and the callers they stand for, never a secret.
/// <para>
/// An entry is served only while all of these hold: nothing about any key has changed since it was read
/// (every change to api_keys, on any instance or by hand, is announced by a trigger and forgets every
/// entry: <see cref="ApiKeyChangeListener"/>), it is younger than <see cref="MaxAge"/>, and the listener
/// has proved within <see cref="TrustWindow"/> that it hears those announcements. A change committed at
/// time t is heard by a heartbeat that starts after t, so a revoked key is refused by every instance
/// from t + <see cref="TrustWindow"/> at the latest; while the listener is not connected, every request
/// goes to the database.
/// </para>
/// </summary>
internal sealed class ApiKeyCache
{
    /// <summary>Below one second, the promise the README makes for a revocation on another instance.</summary>
    public static readonly TimeSpan TrustWindow = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// A safety net for a change the trigger cannot see (api_keys written with triggers disabled, as a
    /// restore does): a key is read again at least this often.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    /// <summary>Far more keys than are in use; past it, a newly seen key is read from the database every time (no eviction to get wrong).</summary>
    private const int Capacity = 10_000;

    /// <summary>No heartbeat answered since the listener (re)connected.</summary>
    private const long Never = 0;

    private readonly ConcurrentDictionary<KeyHash, Entry> _entries = new();
    private long _generation;
    private long _heardUpTo = Never;

    /// <summary>Read before looking a key up in the database, and given back to <see cref="Keep"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(byte[] hash, [MaybeNullWhen(false)] out Caller caller)
    {
        var now = Stopwatch.GetTimestamp();
        if (_entries.TryGetValue(KeyHash.Of(hash), out var entry)
            && entry.Generation == Interlocked.Read(ref _generation)
            && Stopwatch.GetElapsedTime(entry.ReadAt, now) < MaxAge
            && Interlocked.Read(ref _heardUpTo) is not Never and var heard
            && Stopwatch.GetElapsedTime(heard, now) < TrustWindow)
        {
            caller = entry.Caller;
            return true;
        }

        caller = null;
        return false;
    }

    /// <summary>
    /// Keeps what the database said about a key, stamped with the generation read before asking it: if
    /// any key changed meanwhile, the stamp is already stale and the entry is never served.
    /// </summary>
    public void Keep(byte[] hash, Caller caller, long generationBeforeRead, long readAt)
    {
        if (_entries.Count < Capacity || _entries.ContainsKey(KeyHash.Of(hash)))
        {
            _entries[KeyHash.Of(hash)] = new Entry(caller, generationBeforeRead, readAt);
        }
    }

    /// <summary>A key changed somewhere, or changes may have gone unheard: nothing kept so far is served again.</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>Every change committed before <paramref name="heartbeatStartedAt"/> has been heard.</summary>
    public void HeardUpTo(long heartbeatStartedAt) => Interlocked.Exchange(ref _heardUpTo, heartbeatStartedAt);

    /// <summary>The listener lost its connection: serve nothing until it hears again.</summary>
    public void Deaf()
    {
        Interlocked.Exchange(ref _heardUpTo, Never);
        ForgetAll();
    }

    private sealed record Entry(Caller Caller, long Generation, long ReadAt);

    /// <summary>A SHA-256 hash as a value: compared and hashed without allocating.</summary>
    private readonly record struct KeyHash(ulong A, ulong B, ulong C, ulong D)
    {
        public static KeyHash Of(byte[] hash)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(hash.AsSpan(0, 32));
            return new KeyHash(words[0], words[1], words[2], words[3]);
        }
    }
}
