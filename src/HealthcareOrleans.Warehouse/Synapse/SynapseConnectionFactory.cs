using Azure.Core;
using Azure.Identity;
using Microsoft.Data.SqlClient;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>
/// Opens connections to the dedicated SQL pool, by connection string alone or with a Microsoft Entra token. The token
/// comes through SqlConnection.AccessTokenCallback, so pooled connections ask for a fresh one when theirs expires
/// instead of failing an hour into a long load; Azure.Identity caches tokens until shortly before expiry.
/// </summary>
public sealed class SynapseConnectionFactory
{
    /// <summary>The Entra scope of Azure SQL and Synapse SQL pools.</summary>
    public const string DatabaseScope = "https://database.windows.net/.default";

    private readonly string _connectionString;
    private readonly TokenCredential? _credential;

    public SynapseConnectionFactory(SynapseOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = options.ConnectionString ?? throw new ArgumentException("Warehouse:Synapse:ConnectionString is empty.", nameof(options));
        _credential = options.Authentication == SynapseAuthentication.EntraDefault ? credential ?? new DefaultAzureCredential() : null;
    }

    public async Task<SqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        SqlConnection connection = new(_connectionString);
        if (_credential is { } credential)
        {
            connection.AccessTokenCallback = async (_, ct) =>
            {
                var token = await credential.GetTokenAsync(new TokenRequestContext([DatabaseScope]), ct).ConfigureAwait(false);
                return new SqlAuthenticationToken(token.Token, token.ExpiresOn);
            };
        }

        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
