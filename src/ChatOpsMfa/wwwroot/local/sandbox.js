// The sandbox panel: the Okta sandbox's inbox (codes and links it "sent") and a simulated Okta Verify device.
// Served only while the in-process sandbox is the Okta in use; every text goes in through textContent.
(async function () {
  'use strict';

  const pollMilliseconds = 1500;
  const channelNames = { sms: 'SMS', call: 'Voice call', email: 'Email' };
  const shown = { inbox: '', device: '' };

  function time(iso) {
    return new Date(iso).toISOString().substring(11, 16) + ' UTC';
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  let refreshFailed = false;

  function showProblem(message) {
    const box = document.getElementById('sandbox-error');
    box.textContent = message;
    box.hidden = !message;
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) {
      throw new Error(`${url} answered ${response.status}`);
    }
    return response.json();
  }

  function renderInbox(messages) {
    const list = document.getElementById('inbox-list');
    document.getElementById('inbox-empty').hidden = messages.length > 0;
    list.replaceChildren(...messages.map((message) => {
      const item = element('li', 'item');
      const head = element('div', 'item-head');
      head.append(
        element('span', 'channel', channelNames[message.channel] || message.channel),
        element('span', 'subtle', ` to ${message.destination} · ${time(message.at)}`));
      item.append(head, element('p', 'message-text', message.text));
      return item;
    }));
  }

  async function decide(pending, verb, buttons) {
    buttons.forEach((button) => { button.disabled = true; });
    try {
      const response = await fetch(`/local/sandbox/device/${verb}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: pending.userId, factorId: pending.factorId })
      });
      showProblem(response.ok ? '' : 'That setup is no longer waiting (finished, denied or expired).');
    } catch (error) {
      showProblem(`The sandbox did not answer: ${error.message}`);
    }
    await refresh();
  }

  function renderDevice(pendingList) {
    const list = document.getElementById('device-list');
    document.getElementById('device-empty').hidden = pendingList.length > 0;
    list.replaceChildren(...pendingList.map((pending) => {
      const item = element('li', 'item device');
      item.append(
        element('p', 'device-title', 'Okta Verify: add this account?'),
        element('p', 'subtle', `${pending.login || pending.userId} · waits until ${time(pending.expiresAt)}`));
      const approve = element('button', 'approve', 'Approve');
      const deny = element('button', 'deny', 'Deny');
      approve.type = deny.type = 'button';
      approve.addEventListener('click', () => decide(pending, 'approve', [approve, deny]));
      deny.addEventListener('click', () => decide(pending, 'deny', [approve, deny]));
      const actions = element('div', 'actions');
      actions.append(approve, deny);
      item.append(actions);
      return item;
    }));
  }

  async function refresh() {
    try {
      const [inbox, device] = await Promise.all([getJson('/local/sandbox/inbox'), getJson('/local/sandbox/device')]);
      // Redraw only on change, so a button is never replaced under the pointer.
      const inboxText = JSON.stringify(inbox.messages);
      if (inboxText !== shown.inbox) {
        shown.inbox = inboxText;
        renderInbox(inbox.messages);
      }
      const deviceText = JSON.stringify(device.pending);
      if (deviceText !== shown.device) {
        shown.device = deviceText;
        renderDevice(device.pending);
      }
      if (refreshFailed) {
        refreshFailed = false;
        showProblem('');
      }
    } catch (error) {
      refreshFailed = true;
      showProblem(`The sandbox panel could not refresh: ${error.message}`);
    }
  }

  try {
    const info = await getJson('/local/info');
    if (!info.sandboxPanel) {
      return;
    }
  } catch (error) {
    return;
  }

  document.getElementById('sandbox-panel').hidden = false;
  document.getElementById('sandbox-hint').hidden = false;
  await refresh();
  window.setInterval(refresh, pollMilliseconds);
})();
