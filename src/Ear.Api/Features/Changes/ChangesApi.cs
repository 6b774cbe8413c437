using System.Globalization;
using Ear.Api.Auth;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ear.Api.Features.Changes;

internal static class ChangesApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static void MapChanges(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/changes", ReadAsync).WithName("ListChanges").WithTags("Changes")
            .WithSummary("Changes in commit order after a cursor: experts, consent, CVs, actions, activities, deployments, matching runs.")
            .WithDescription("Any role. Each event has a stable id, its type, the resource, when it committed, the key that made it and " +
                "data holding ids and the names of changed fields only (never personal data; an erasure is an event with the expert's id alone). " +
                "A focal point reads the events of its own member state's experts and those that concern no expert (actions, activities, matching runs). " +
                "Pass next as after to continue: no change is skipped, even one that commits late, and events of one resource come in commit order. " +
                "With wait (up to 30 s) an answer with nothing new waits for the next commit. 410 when after is older than the retention (Changes:RetentionDays).")
            .ProducesProblem(StatusCodes.Status410Gone);
    }

    private static async Task<Results<Ok<ChangePage>, ValidationProblem, ProblemHttpResult>> ReadAsync(
        [AsParameters] ChangeFeedParameters query, Caller caller, Db db, ChangeNotifications notifications, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var request = ChangeFeedRequest.Parse(query, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (query.After is not null && request.After.IsBefore(await db.ReadAsync(ChangesQueries.TrimmedThroughAsync, cancellationToken)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "The cursor is older than the changes kept.",
                detail: "Changes before it were trimmed (Changes:RetentionDays): read the resources again, then follow the feed from its start.");
        }

        var rows = await ChangeFeed.WaitForAsync(db, notifications, request, caller.IsFocalPoint ? caller.MemberState : null, cancellationToken);
        var next = rows.Count > 0 ? rows[^1].Cursor : request.After;
        return TypedResults.Ok(new ChangePage(rows.Select(ChangeMapping.ToEvent).ToList(), next.Encode()));
    }
}

/// <summary>A checked feed request.</summary>
internal sealed record ChangeFeedRequest(ChangeCursor After, IReadOnlyList<string>? Types, int Limit, TimeSpan Wait)
{
    public static ChangeFeedRequest Parse(ChangeFeedParameters query, ValidationErrors errors)
    {
        var after = ChangeCursor.Start;
        if (query.After is not null)
        {
            if (ChangeCursor.Decode(query.After) is { } decoded)
            {
                after = decoded;
            }
            else
            {
                errors.Add("after", "Not a cursor this API issued: pass the next of a previous answer unchanged.");
            }
        }

        List<string>? types = null;
        if (query.Types is { Length: > 0 })
        {
            types = [.. query.Types.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct()];
            if (types.Count == 0)
            {
                // "types=," would otherwise select nothing, and a long-poll would wait its whole time for it.
                errors.Add("types", $"At least one event type, comma-separated; known: {string.Join(", ", ChangeTypes.Names)}.");
            }

            foreach (var unknown in types.Where(t => !ChangeTypes.All.ContainsKey(t)))
            {
                errors.Add("types", $"'{Fields.Shorten(unknown)}' is not an event type; known: {string.Join(", ", ChangeTypes.Names)}.");
            }
        }

        var limit = ChangesApi.DefaultLimit;
        if (query.Limit is not null && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ChangesApi.MaxLimit))
        {
            errors.Add("limit", $"A whole number from 1 to {ChangesApi.MaxLimit}.");
        }

        var wait = TimeSpan.Zero;
        if (query.Wait is not null)
        {
            var seconds = query.Wait.EndsWith('s') ? query.Wait[..^1] : query.Wait;
            if (!int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) || whole > ChangesApi.MaxWait.TotalSeconds)
            {
                errors.Add("wait", $"Whole seconds from 0 to {ChangesApi.MaxWait.TotalSeconds}, optionally followed by s (30s).");
            }
            else
            {
                wait = TimeSpan.FromSeconds(whole);
            }
        }

        return new ChangeFeedRequest(after, types, limit, wait);
    }
}

/// <summary>Reads the feed, waiting for the next commit when nothing is new (long-polling).</summary>
internal static class ChangeFeed
{
    public static async Task<IReadOnlyList<ChangeRow>> WaitForAsync(
        Db db, ChangeNotifications notifications, ChangeFeedRequest request, string? scopeMemberState, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + request.Wait;
        using var interest = request.Wait > TimeSpan.Zero ? notifications.Interest() : null;
        while (true)
        {
            // Taken before the read: a commit that the read misses completes it.
            var nextCommit = notifications.Next;
            var rows = await db.ReadAsync(
                (connection, token) => ChangesQueries.AfterAsync(connection, request.After, request.Types, scopeMemberState, request.Limit, token),
                cancellationToken);
            var remaining = deadline - DateTimeOffset.UtcNow;
            if (rows.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return rows;
            }

            var slice = remaining < notifications.PollInterval ? remaining : notifications.PollInterval;
            await Task.WhenAny(nextCommit, Task.Delay(slice, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}

internal static class ChangesSetup
{
    /// <summary>The listener that wakes long-polling followers, and the feed's retention.</summary>
    public static void AddEarChanges(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChangeNotifications>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChangeNotifications>());
        builder.Services.AddHostedService<ChangeFeedTrim>();
    }
}
