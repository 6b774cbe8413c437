using System.Globalization;
using Ear.Api.Auth;
using Ear.Api.Features.DemoData;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Platform;

internal static class Startup
{
    /// <summary>
    /// The command-line verbs, which do their work and exit without serving:
    /// `migrate` applies the migrations; `seed --experts N [--seed S]` adds N generated experts.
    /// </summary>
    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        switch (args)
        {
            case ["migrate"]:
                app.MigrateDatabase();
                break;
            case ["seed", .. var options]:
                app.MigrateDatabase();
                var experts = Option(options, "--experts") ?? throw new ArgumentException("seed needs --experts N");
                await DemoData.SeedAsync(app, experts, Option(options, "--seed") ?? 1, CancellationToken.None);
                break;
            default:
                return false;
        }

        // The host never ran, so its hosted services (which stop an embedded cluster) never will.
        if (app.Services.GetService<EmbeddedPostgres>() is { } embedded)
        {
            await embedded.StopAsync();
        }

        return true;
    }

    /// <summary>Migrations (unless Ear:MigrateOnStartup is false), the bootstrap admin key, and the demonstration data.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        if (app.Configuration.GetValue("Ear:MigrateOnStartup", defaultValue: true))
        {
            app.MigrateDatabase();
        }

        await BootstrapAdminKey.EnsureAsync(
            app.Services.GetRequiredService<NpgsqlDataSource>(),
            app.Configuration["EAR_BOOTSTRAP_ADMIN_KEY"],
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Auth"),
            CancellationToken.None);
        await DemoData.LoadOnceAsync(app, CancellationToken.None);
    }

    private static void MigrateDatabase(this WebApplication app) =>
        Migrations.Apply(app.Services.GetRequiredService<DatabaseOptions>().ConnectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Migrations"));

    private static int? Option(string[] options, string name)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length && int.TryParse(options[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : at >= 0 ? throw new ArgumentException($"{name} takes a positive whole number") : null;
    }
}
