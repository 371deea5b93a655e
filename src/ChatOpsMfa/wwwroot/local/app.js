// Two Web Chat panes against this server's own Direct Line endpoints (polling; no WebSocket, no CDN).
(async function () {
  'use strict';

  const domain = `${window.location.origin}/v3/directline`;
  const styleOptions = {
    botAvatarInitials: 'MFA',
    hideUploadButton: true,
    bubbleBorderRadius: 8,
    bubbleFromUserBorderRadius: 8,
    rootHeight: '100%'
  };

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    });
    if (!response.ok) {
      throw new Error(`${url} answered ${response.status}`);
    }
    return response.json();
  }

  function render(elementId, user, grant, rejoin) {
    const directLine = window.WebChat.createDirectLine({
      domain,
      token: grant.token,
      // With a conversationId Web Chat rejoins (GET /conversations/{id}) instead of starting a new conversation.
      conversationId: rejoin ? grant.conversationId : undefined,
      webSocket: false,
      pollingInterval: 500
    });
    window.WebChat.renderWebChat(
      {
        directLine,
        userID: user.id,
        username: user.name,
        styleOptions: { ...styleOptions, userAvatarInitials: user.name.charAt(0) }
      },
      document.getElementById(elementId)
    );
  }

  try {
    const info = await (await fetch('/local/info')).json();
    if (!info.oktaSandbox) {
      document.getElementById('banner').classList.add('real-okta');
      document.getElementById('okta-mode').textContent =
        'Local mode — WARNING: Okta is a real organisation, approved resets really happen.';
    }
    document.getElementById('support-name').textContent = info.supportConversationId;

    const alice = { id: 'alice', name: 'Alice' };
    const bob = { id: 'bob', name: 'Bob' };
    const [aliceGrant, bobGrant] = await Promise.all([
      postJson(`${domain}/tokens/generate`, { user: alice }),
      postJson(`${domain}/tokens/generate`, { user: bob, conversationId: info.supportConversationId })
    ]);

    render('alice-chat', alice, aliceGrant, false);
    render('bob-chat', bob, bobGrant, true);
  } catch (error) {
    const box = document.getElementById('error');
    box.textContent = `The local chat could not start: ${error.message}`;
    box.hidden = false;
  }
})();
