using System.Security.Cryptography;
using System.Text.Json;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Who a help-desk member named in <c>/mfa-reset &lt;user&gt;</c>, kept on the server between the command and the form's
/// submission. The form carries only a random draft id: a forged submission cannot redirect the target's notice or
/// their activation secret to someone else. Drafts live in the database (<c>on_behalf_drafts</c>), because the
/// submission may reach another instance than the command did; taking one deletes it, so it is spent once.
/// </summary>
public sealed class OnBehalfDrafts(StorageDatabase database, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<string> CreateAsync(ChatUser requester, ChatUser target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var stale = connection.Command("DELETE FROM on_behalf_drafts WHERE expires_at < @now").With("@now", DbCommands.Format(now)))
        {
            await stale.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.Command(
                "INSERT INTO on_behalf_drafts (id, requester_id, target, expires_at) VALUES (@id, @requester, @target, @expires)")
            .With("@id", id).With("@requester", requester.Id).With("@target", JsonSerializer.Serialize(target, Json))
            .With("@expires", DbCommands.Format(now + Lifetime));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    /// <summary>The target named in the draft, if it exists, has not expired and belongs to this requester.</summary>
    public async Task<ChatUser?> TakeAsync(string draftId, ChatUser requester, CancellationToken cancellationToken)
    {
        // Only its owner can use a draft, or spend it: someone else's guess leaves it in place. The delete is the
        // spending, so two submissions of one form (to two instances) get it once.
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var take = connection.Command(
                "DELETE FROM on_behalf_drafts WHERE id = @id AND requester_id = @requester RETURNING target, expires_at")
            .With("@id", draftId).With("@requester", requester.Id);
        await using var reader = await take.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || DbCommands.ParseTime(reader.GetString(1)) < time.GetUtcNow())
        {
            return null;
        }

        return JsonSerializer.Deserialize<ChatUser>(reader.GetString(0), Json);
    }
}
