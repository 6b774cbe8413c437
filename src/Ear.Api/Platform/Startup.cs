using System.Globalization;
using Ear.Api.Auth;
using Ear.Api.DemoData;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Platform;

internal static class Startup
{
    /// <summary>
    /// The command-line verbs, which do their work and exit without serving: `migrate` applies the
    /// migrations; `seed --experts N [--seed S]` adds N generated experts. Null when the arguments name
    /// no verb; otherwise the process's exit code.
    /// </summary>
    public static async Task<int?> RunCommandAsync(this WebApplication app, string[] args)
    {
        bool succeeded;
        switch (args)
        {
            case ["migrate"]:
                succeeded = await app.PrepareAsync(app.MigrateDatabase);
                break;
            case ["seed", .. var options]:
                var experts = Option(options, "--experts") ?? throw new ArgumentException("seed needs --experts N");
                succeeded = await app.PrepareAsync(app.MigrateDatabase);
                if (succeeded)
                {
                    // Not retried: appending experts is not safe to repeat.
                    await DemoDataLoader.SeedAsync(app, experts, Option(options, "--seed") ?? 1, CancellationToken.None);
                }

                break;
            default:
                return null;
        }

        // The host never ran, so its hosted services (which stop an embedded cluster) never will.
        await app.StopEmbeddedClusterAsync();
        return succeeded ? 0 : 1;
    }

    /// <summary>
    /// Migrations (unless Ear:MigrateOnStartup is false), the bootstrap admin key, and the demonstration
    /// data, waiting for a database that does not answer yet. False, after one critical log line, when
    /// it never did or a step failed: the service must not serve.
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app)
    {
        var prepared = await app.PrepareAsync(async cancellationToken =>
        {
            if (app.Configuration.GetValue("Ear:MigrateOnStartup", defaultValue: true))
            {
                await app.MigrateDatabase(cancellationToken);
            }

            await BootstrapAdminKey.EnsureAsync(
                app.Services.GetRequiredService<NpgsqlDataSource>(),
                app.Configuration["EAR_BOOTSTRAP_ADMIN_KEY"],
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Auth"),
                cancellationToken);
            await DemoDataLoader.LoadOnceAsync(app, cancellationToken);
        });

        if (!prepared)
        {
            await app.StopEmbeddedClusterAsync();
        }

        return prepared;
    }

    /// <summary>
    /// Runs start-up steps, all of which are safe to repeat, again from the first for as long as the
    /// database does not answer (see <see cref="StartupRetry"/>).
    /// </summary>
    private static async Task<bool> PrepareAsync(this WebApplication app, Func<CancellationToken, Task> steps)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Startup");
        try
        {
            await StartupRetry.Create(options.StartupTimeout, logger).ExecuteAsync(async cancellationToken =>
            {
                // Asked first so that a database that is not there yet is one warning line, not a DbUp error report.
                await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
                await using (var ping = new NpgsqlCommand("SELECT 1", connection))
                {
                    await ping.ExecuteScalarAsync(cancellationToken);
                }

                await steps(cancellationToken);
            }, CancellationToken.None);
            return true;
        }
        catch (Exception e) when (StartupRetry.IsUnanswered(e))
        {
            logger.LogCritical(
                "The database did not answer within {TimeoutSeconds} s ({Failure}); giving up. {Setting} sets how long to wait.",
                options.StartupTimeout.TotalSeconds, StartupRetry.Describe(e), StartupRetry.TimeoutSetting);
            return false;
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Preparing the database failed: {Failure}", e.Message);
            return false;
        }
    }

    private static async Task StopEmbeddedClusterAsync(this WebApplication app)
    {
        if (app.Services.GetService<EmbeddedPostgres>() is { } embedded)
        {
            await embedded.StopAsync();
        }
    }

    /// <summary>A start-up step like the others, though DbUp works synchronously and cannot be cancelled.</summary>
    private static Task MigrateDatabase(this WebApplication app, CancellationToken cancellationToken)
    {
        Migrations.Apply(app.Services.GetRequiredService<DatabaseOptions>().ConnectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Migrations"));
        return Task.CompletedTask;
    }

    private static int? Option(string[] options, string name)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length && int.TryParse(options[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : at >= 0 ? throw new ArgumentException($"{name} takes a positive whole number") : null;
    }
}
