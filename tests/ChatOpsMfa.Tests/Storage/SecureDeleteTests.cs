using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// Someone who copies the database file (a backup, a stolen disk) must not find what the bot deleted or forgot:
/// deleted bytes are zeroed (secure_delete) and the write-ahead log, which still holds the old pages, is emptied.
/// </summary>
public sealed class SecureDeleteTests
{
    private const string Marker = "ZQX-deleted-4242-marker";
    private const string PhoneNumber = "+15557654321";

    // The stored JSON escapes '+' (\u002B), so the digits are what a reader of the file would find.
    private const string PhoneDigits = "5557654321";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_connection_runs_with_secure_delete()
    {
        await using var db = await TempDatabase.CreateAsync();
        await using var connection = await db.Database.OpenAsync(Ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA secure_delete";

        Assert.Equal(1L, await pragma.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_deleted_row_leaves_no_bytes_in_the_database_or_the_wal()
    {
        await using var db = await TempDatabase.CreateAsync();
        await using var keeper = await RawDatabaseFiles.HoldOpenAsync(db.ConnectionString, Ct);
        await ExecuteAsync(db, $"INSERT INTO outbox (request_id, kind, payload, created_at, next_attempt_at) VALUES ('req-1', 'Result', '{Marker}', 'now', 'now')");
        await ExecuteAsync(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.True(RawDatabaseFiles.Contain(db.ConnectionString, Marker), "the marker should be on disk before the delete");

        await ExecuteAsync(db, "DELETE FROM outbox");
        await db.Database.CheckpointAsync(Ct);

        Assert.False(RawDatabaseFiles.Contain(db.ConnectionString, Marker));
        Assert.Equal(0, RawDatabaseFiles.WalLength(db.ConnectionString));
    }

    /// <summary>Whether or not the open request keeps the number encrypted, once it ends not even that may stay in the files.</summary>
    [Fact]
    public async Task An_ended_request_leaves_its_forgotten_phone_number_nowhere_on_disk()
    {
        await using var db = await TempDatabase.CreateAsync();
        await using var keeper = await RawDatabaseFiles.HoldOpenAsync(db.ConnectionString, Ct);
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        var sms = new ResetRequest("req-1", Alice, new Channels.ConversationRef("local", "alice-1to1"),
            new TargetUser("00u1alice", "alice@example.com", "Alice Example"),
            new FactorRequest("sms", "OKTA", "SMS", PhoneNumber: PhoneNumber), Now, Now.AddMinutes(30));
        await store.CreateAsync(sms, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        await ExecuteAsync(db, "PRAGMA wal_checkpoint(PASSIVE)");

        var request = (await store.FindAsync("req-1", Ct))!;
        Assert.True(request.Deny(Approver(Bob), Now.AddMinutes(1)).Succeeded);
        await db.Checkpointer.StartAsync(Ct);
        try
        {
            Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(request, Ct));

            // The save asks for the checkpoint and returns; the checkpointer empties the WAL in the background.
            await Eventually.WaitUntilAsync(() => RawDatabaseFiles.WalLength(db.ConnectionString) == 0 &&
                !RawDatabaseFiles.Contain(db.ConnectionString, PhoneDigits), "the background checkpoint");
            Assert.Null((await store.FindAsync("req-1", Ct))!.Factor.PhoneNumber);
            Assert.False(RawDatabaseFiles.Contain(db.ConnectionString, PhoneDigits));
            Assert.Equal(0, RawDatabaseFiles.WalLength(db.ConnectionString));
        }
        finally
        {
            await db.Checkpointer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_wal_is_checkpointed_and_emptied_at_shutdown()
    {
        await using var db = await TempDatabase.CreateAsync();
        var migrator = new StorageMigrator(db.Database);
        await migrator.StartAsync(Ct);
        await using var keeper = await RawDatabaseFiles.HoldOpenAsync(db.ConnectionString, Ct);
        await new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer).CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        Assert.NotEqual(0, RawDatabaseFiles.WalLength(db.ConnectionString));

        await migrator.StopAsync(Ct);

        Assert.Equal(0, RawDatabaseFiles.WalLength(db.ConnectionString));
    }

    private static async Task ExecuteAsync(TempDatabase db, string sql)
    {
        await using var connection = await db.Database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
