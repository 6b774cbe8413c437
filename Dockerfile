# Build: restore with the central package versions, then publish the API alone.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Ear.Api/Ear.Api.csproj src/Ear.Api/
COPY src/Ear.Matching/Ear.Matching.csproj src/Ear.Matching/
RUN dotnet restore src/Ear.Api/Ear.Api.csproj -r linux-x64
COPY db/ db/
COPY src/ src/
# For linux-x64 only: Google.OrTools ships native solvers for every platform (about 440 MB); one platform's is 90 MB.
RUN dotnet publish src/Ear.Api/Ear.Api.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app

# Run: the ASP.NET runtime only, as the image's unprivileged 'app' user. The database comes from
# the environment (ConnectionStrings__Ear); there is no embedded PostgreSQL in the image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
# Orchestrators probe GET /health/live and GET /health/ready (no key needed).
ENTRYPOINT ["dotnet", "Ear.Api.dll"]
