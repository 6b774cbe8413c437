using Ear.Api.Auth;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Platform;

internal static class Startup
{
    /// <summary>`dotnet Ear.Api.dll migrate` applies the migrations and exits without serving.</summary>
    public static bool IsMigrateCommand(string[] args) => args is ["migrate"];

    public static void MigrateDatabase(this WebApplication app)
    {
        Migrations.Apply(app.Services.GetRequiredService<DatabaseOptions>().ConnectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Migrations"));
    }

    /// <summary>Migrations (unless Ear:MigrateOnStartup is false), then the bootstrap admin key.</summary>
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
    }
}
