using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Storage;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// A Slack message that came with an uploaded QR image keeps its file ids through storage (the request row is JSON),
/// so the key's removal can still delete the file after a restart.
/// </summary>
public sealed class SlackMessageRefStorageTests
{
    [Fact]
    public async Task A_message_ref_with_file_ids_survives_a_save_and_a_reload()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], ct);
        var request = (await store.FindAsync("req-1", ct))!;
        var posted = new MessageRef(new ConversationRef(SlackChatChannel.Id, "DALICE"), "1700000001.000100", null, ["F0QR1", "F0QR2"]);

        request.RecordStatusMessage(posted);
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(request, ct));
        var reloaded = (await store.FindAsync("req-1", ct))!;

        Assert.Equal(["F0QR1", "F0QR2"], reloaded.StatusMessage!.FileIds);
        Assert.Equal((posted.Conversation, posted.MessageId, posted.ThreadId), (reloaded.StatusMessage.Conversation, reloaded.StatusMessage.MessageId, reloaded.StatusMessage.ThreadId));
    }

    [Fact]
    public async Task A_message_ref_without_files_reloads_without_files()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], ct);
        var request = (await store.FindAsync("req-1", ct))!;

        request.RecordStatusMessage(new MessageRef(new ConversationRef(SlackChatChannel.Id, "DALICE"), "1700000001.000200"));
        await store.SaveAsync(request, ct);

        Assert.Null((await store.FindAsync("req-1", ct))!.StatusMessage!.FileIds);
    }
}
