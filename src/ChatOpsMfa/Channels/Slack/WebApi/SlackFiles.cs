using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// Files in Slack, the way Slack's external upload works (docs.slack.dev, files.getUploadURLExternal and
/// files.completeUploadExternal): ask for an upload URL and a file id, send the bytes there, then share the file in a
/// conversation; <c>files.delete</c> removes it again. An uploaded file that is never completed is discarded by Slack.
/// </summary>
public sealed class SlackFiles(SlackApiClient api)
{
    /// <summary>Uploads <paramref name="image"/> without sharing it yet; returns the file id to share with <see cref="ShareAsync"/>.</summary>
    public async Task<string> UploadAsync(ChatImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var ticket = await api.CallAsync("files.getUploadURLExternal", new JsonObject
        {
            ["filename"] = image.FileName,
            ["length"] = image.Png.Length.ToString(CultureInfo.InvariantCulture),
            ["alt_txt"] = image.AltText, // the argument is spelled alt_txt in Slack's reference
        }, cancellationToken);
        var fileId = Text(ticket, "file_id");
        var uploadUrl = Text(ticket, "upload_url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed : null;
        if (fileId is null || uploadUrl is null)
        {
            throw new SlackApiException("files.getUploadURLExternal", "no_upload_url", "the answer had no upload_url or file_id");
        }

        await api.UploadAsync(uploadUrl, image.Png, cancellationToken);
        return fileId;
    }

    /// <summary>Completes the upload and shares the file in <paramref name="channelId"/> (once: Slack takes one completion per upload).</summary>
    public Task<JsonObject> ShareAsync(string fileId, string title, string channelId, string? threadTs, string? initialComment, CancellationToken cancellationToken)
    {
        var arguments = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = fileId, ["title"] = title }),
            ["channel_id"] = channelId,
        };
        if (threadTs is not null)
        {
            arguments["thread_ts"] = threadTs;
        }

        if (initialComment is not null)
        {
            arguments["initial_comment"] = initialComment;
        }

        return api.CallAsync("files.completeUploadExternal", arguments, cancellationToken);
    }

    /// <summary>Deletes a file; false when Slack says it is already gone (<c>file_not_found</c>, <c>file_deleted</c>).</summary>
    public async Task<bool> DeleteAsync(string fileId, CancellationToken cancellationToken)
    {
        try
        {
            await api.CallAsync("files.delete", new JsonObject { ["file"] = fileId }, cancellationToken);
            return true;
        }
        catch (SlackApiException error) when (error.Error is "file_not_found" or "file_deleted")
        {
            return false;
        }
    }

    private static string? Text(JsonObject answer, string name) =>
        answer[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
