// The sandbox panel: the Okta sandbox's inbox (codes and links it "sent") and a simulated Okta Verify device, which
// also shows the push an approver's step-up sends (Okta Verify's "Did you just try to ...?" prompt).
// Served only while the in-process sandbox is the Okta in use; every text goes in through textContent.
(async function () {
  'use strict';

  const pollMilliseconds = 1500;
  const channelNames = { sms: 'SMS', call: 'Voice call', email: 'Email' };
  const shown = { inbox: '', device: '', challenges: '' };

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

  async function decide(path, body, buttons, gone) {
    buttons.forEach((button) => { button.disabled = true; });
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      });
      showProblem(response.ok ? '' : gone);
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
      const enrolment = { userId: pending.userId, factorId: pending.factorId };
      const gone = 'That setup is no longer waiting (finished, denied or expired).';
      approve.addEventListener('click', () => decide('/local/sandbox/device/approve', enrolment, [approve, deny], gone));
      deny.addEventListener('click', () => decide('/local/sandbox/device/deny', enrolment, [approve, deny], gone));
      const actions = element('div', 'actions');
      actions.append(approve, deny);
      item.append(actions);
      return item;
    }));
  }

  // The push prompts live in their own box at the top of the panel, so they read as the phone app, not the list.
  function promptBox() {
    let box = document.getElementById('okta-verify-prompts');
    if (!box) {
      box = element('section', 'okta-verify');
      box.id = 'okta-verify-prompts';
      box.dataset.testid = 'okta-verify-prompts';
      box.setAttribute('aria-label', 'Okta Verify (sandbox) push prompts');
      box.hidden = true;
      const body = document.querySelector('#sandbox-panel .sandbox-body');
      body.insertBefore(box, body.querySelector('section'));
    }
    return box;
  }

  function renderChallenges(challenges) {
    const box = promptBox();
    box.hidden = challenges.length === 0;
    box.replaceChildren(...challenges.map((challenge, index) => {
      const who = challenge.login || challenge.userId;
      const prompt = element('div', 'okta-verify-prompt');
      prompt.setAttribute('role', 'dialog');
      prompt.setAttribute('aria-label', `Okta Verify (sandbox) push for ${who}`);
      prompt.append(
        element('p', 'okta-verify-app', 'Okta Verify (sandbox)'),
        element('p', 'okta-verify-question', 'Did you just try to approve an MFA reset?'),
        element('p', 'okta-verify-account', who),
        element('p', 'subtle', `Expires at ${time(challenge.expiresAt)}`));
      const approve = element('button', 'approve', 'Approve');
      const deny = element('button', 'deny', 'Deny');
      approve.type = deny.type = 'button';
      const suffix = index === 0 ? '' : `-${index + 1}`;
      approve.id = `okta-verify-approve${suffix}`;
      deny.id = `okta-verify-deny${suffix}`;
      approve.dataset.testid = 'okta-verify-approve';
      deny.dataset.testid = 'okta-verify-deny';
      approve.setAttribute('aria-label', `Approve the Okta Verify push for ${who}`);
      deny.setAttribute('aria-label', `Deny the Okta Verify push for ${who}`);
      const push = { userId: challenge.userId, transactionId: challenge.transactionId };
      const gone = 'That Okta Verify push is no longer waiting (answered or expired).';
      approve.addEventListener('click', () => decide('/local/sandbox/device/challenge/approve', push, [approve, deny], gone));
      deny.addEventListener('click', () => decide('/local/sandbox/device/challenge/deny', push, [approve, deny], gone));
      const actions = element('div', 'actions');
      actions.append(approve, deny);
      prompt.append(actions);
      return prompt;
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
      const challengesText = JSON.stringify(device.challenges);
      if (challengesText !== shown.challenges) {
        shown.challenges = challengesText;
        renderChallenges(device.challenges);
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
