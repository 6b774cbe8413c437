using System.Diagnostics;
using Ear.Api.Features.ReferenceData;
using Ear.Matching;

namespace Ear.Api.Features.Matching;

/// <summary>
/// Loads the matching roster in the background as the service starts, so that the first matching
/// request does not wait for it (seconds at a hundred thousand experts), then runs the engine a few
/// times, so that most of compiling it is not paid by the first requests either (the first ten to twenty
/// still run partly on unoptimised code: decision 0024). A failure is only logged: the first request then
/// loads the roster.
/// </summary>
internal sealed class RosterWarmUp(RosterSnapshot roster, ReferenceCatalog catalog, TimeProvider clock, ILogger<RosterWarmUp> logger) : BackgroundService
{
    private const int Runs = 3;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await roster.ReadAsync(current => current.Count, stoppingToken);
            var taxonomy = (await catalog.GetAsync(stoppingToken)).Taxonomy;
            var areas = taxonomy.Codes.Where(code => !code.Contains('.', StringComparison.Ordinal)).ToList();
            var started = Stopwatch.GetTimestamp();
            for (var run = 0; run < Runs && areas.Count > 0 && Stopwatch.GetElapsedTime(started) < Budget; run++)
            {
                var criteria = Rehearsal(areas[run % areas.Count], DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
                await roster.ReadAsync(current => MatchingEngine.Run(current, criteria, taxonomy), stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The matching roster could not be loaded at start; the first matching request will load it.");
        }
    }

    /// <summary>A request like a real one (a theme, a working language, a period, a mixed team), whose answer is thrown away.</summary>
    private static MatchCriteria Rehearsal(string theme, DateOnly today) => new()
    {
        Themes = [new ThemeNeed(theme, 1)],
        BeneficiaryCountries = new HashSet<string> { "MA" },
        RegionCountries = new HashSet<string> { "MA", "TN", "DZ" },
        Languages = [new LanguageNeed("en", 4, Required: true), new LanguageNeed("fr", 4, Required: false)],
        Period = new DayRange(today.AddDays(60), today.AddDays(65)),
        Team = new TeamSpec(3, MinEu: 1, MinSouth: 1, MinWomen: 1),
    };
}
