using Npgsql;

namespace Ear.Api.Platform.Database;

internal static class DatabaseSetup
{
    /// <summary>
    /// Connects to ConnectionStrings:Ear, or, when it is not set, starts the embedded cluster kept in
    /// EAR_DATA_DIR (default ./.ear-data) and stops it when the service stops.
    /// </summary>
    public static async Task AddEarDatabaseAsync(this WebApplicationBuilder builder)
    {
        // Rows are records with PascalCase properties; columns are snake_case.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

        var startupTimeout = TimeSpan.FromSeconds(
            builder.Configuration.GetValue(StartupRetry.TimeoutSetting, StartupRetry.DefaultTimeout.TotalSeconds));
        var connectionString = builder.Configuration.GetConnectionString("Ear");
        var embedded = string.IsNullOrWhiteSpace(connectionString);
        if (embedded)
        {
            var dataDirectory = builder.Configuration["EAR_DATA_DIR"] is { Length: > 0 } configured
                ? configured
                : Path.Combine(Directory.GetCurrentDirectory(), ".ear-data");
            var server = await EmbeddedPostgres.StartAsync(dataDirectory, shutdownWait: startupTimeout);
            builder.Services.AddSingleton(server);
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
            connectionString = server.ConnectionString;
            Console.WriteLine($"EAR: embedded PostgreSQL on 127.0.0.1:{server.Port}, data in {Path.GetFullPath(dataDirectory)}");
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A stopped database must answer 503 within seconds, not hang a request for the default 15 s.
            Timeout = 3,
            CommandTimeout = 30,
            ApplicationName = "ear-api",
            // Reads by id are one statement each: prepared once per connection, and no session reset on
            // every return to the pool (nothing sets session state), decision 0015.
            MaxAutoPrepare = 64,
            NoResetOnClose = true,
        };
        builder.Services.AddSingleton(new DatabaseOptions(settings.ConnectionString, embedded, startupTimeout));
        builder.AddEarDataSources(settings);
        builder.Services.AddSingleton(DatabaseRetry.Create());
        builder.Services.AddSingleton<Db>();
    }

    private sealed class EmbeddedPostgresLifetime(EmbeddedPostgres server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync();
    }
}

/// <summary>
/// The connection string with its password (the data source hides it), whether the service runs on its
/// own embedded cluster (and so may load demonstration data), and how long start-up waits for the
/// database to answer.
/// </summary>
internal sealed record DatabaseOptions(string ConnectionString, bool Embedded, TimeSpan StartupTimeout);
