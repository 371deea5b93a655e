using ChatOpsMfa.Channels.Teams.Connector;
using System.Data.Common;

using static ChatOpsMfa.Storage.DbCommands;

namespace ChatOpsMfa.Storage;

/// <summary>
/// What the Teams channel learnt from the Connector and from authenticated activities, kept across restarts: the
/// members it has looked up or paged from the support team's roster (keyed by tenant and <c>29:</c> id), and the
/// serviceUrl of each conversation (keyed by tenant and conversation).
/// </summary>
public sealed class TeamsDirectoryStore(StorageDatabase database)
{
    public async Task SaveMembersAsync(string tenantId, IReadOnlyCollection<TeamsMember> members, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (members.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        foreach (var member in members)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO teams_members (tenant_id, member_id, aad_object_id, email, user_principal_name, name, updated_at)
                VALUES (@tenant, @member, @aad, @email, @upn, @name, @now)
                ON CONFLICT (tenant_id, member_id) DO UPDATE SET aad_object_id = @aad, email = @email,
                    user_principal_name = @upn, name = @name, updated_at = @now
                """;
            upsert.With("@tenant", tenantId);
            upsert.With("@member", member.Id);
            upsert.With("@aad", (object?)member.AadObjectId ?? DBNull.Value);
            upsert.With("@email", (object?)member.Email ?? DBNull.Value);
            upsert.With("@upn", (object?)member.UserPrincipalName ?? DBNull.Value);
            upsert.With("@name", (object?)member.Name ?? DBNull.Value);
            upsert.With("@now", Format(now));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The member with this <c>29:</c> id in this tenant, if it was learnt after <paramref name="since"/>.</summary>
    public async Task<TeamsMember?> FindMemberAsync(string tenantId, string memberId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT member_id, name, email, user_principal_name, aad_object_id, tenant_id FROM teams_members
            WHERE tenant_id = @tenant AND member_id = @member AND updated_at >= @since
            """;
        command.With("@tenant", tenantId);
        command.With("@member", memberId);
        command.With("@since", Format(since));
        return await ReadMemberAsync(command, cancellationToken);
    }

    /// <summary>The most recently seen member whose Entra object id, email or UPN is <paramref name="idOrAddress"/>.</summary>
    public async Task<TeamsMember?> FindMemberByUserAsync(string idOrAddress, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT member_id, name, email, user_principal_name, aad_object_id, tenant_id FROM teams_members
            WHERE lower(aad_object_id) = lower(@who) OR lower(email) = lower(@who) OR lower(user_principal_name) = lower(@who)
            ORDER BY updated_at DESC LIMIT 1
            """;
        command.With("@who", idOrAddress);
        return await ReadMemberAsync(command, cancellationToken);
    }

    /// <summary>
    /// The most recently seen member of <paramref name="tenantId"/> whose Entra object id is <paramref name="aadObjectId"/>
    /// (<paramref name="column"/> <see cref="MemberKey.AadObjectId"/>), or whose email or UPN, as the channel reads it, is
    /// the address given. Only the one column is compared: an email never matches a UPN.
    /// </summary>
    public async Task<TeamsMember?> FindMemberInTenantAsync(string tenantId, MemberKey column, string value, CancellationToken cancellationToken)
    {
        var name = column switch
        {
            MemberKey.AadObjectId => "aad_object_id",
            MemberKey.Email => "email",
            MemberKey.UserPrincipalName => "user_principal_name",
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT member_id, name, email, user_principal_name, aad_object_id, tenant_id FROM teams_members
            WHERE lower(tenant_id) = lower(@tenant) AND lower({name}) = lower(@value)
            ORDER BY updated_at DESC LIMIT 1
            """;
        command.With("@tenant", tenantId);
        command.With("@value", value);
        return await ReadMemberAsync(command, cancellationToken);
    }

    public async Task SaveServiceUrlAsync(string tenantId, string conversationId, Uri serviceUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO teams_service_urls (tenant_id, conversation_id, service_url, updated_at) VALUES (@tenant, @conversation, @url, @now)
            ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET service_url = @url, updated_at = @now
            """;
        upsert.With("@tenant", tenantId);
        upsert.With("@conversation", conversationId);
        upsert.With("@url", serviceUrl.AbsoluteUri);
        upsert.With("@now", Format(now));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Uri?> FindServiceUrlAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT service_url FROM teams_service_urls WHERE tenant_id = @tenant AND conversation_id = @conversation";
        command.With("@tenant", tenantId);
        command.With("@conversation", conversationId);
        return await command.ExecuteScalarAsync(cancellationToken) is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
    }

    private static async Task<TeamsMember?> ReadMemberAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new TeamsMember(reader.GetString(0), Text(1), Text(2), Text(3), Text(4), Text(5));
    }

}
