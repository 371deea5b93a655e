// The Slack Bolt for JavaScript side of bench/slack (burst mode): the same /mfa-reset work as ChatOpsMfa's, so the two
// acknowledgement times compare like for like. Bolt's HTTPReceiver verifies the signature (and the timestamp), the
// listener acknowledges first (processBeforeResponse: false, Bolt's default for a long-running process) and then calls
// views.open on the benchmark's fake Slack with the modal our bot opens. Loopback only; started by SlackAckBench.
//
// Environment: BOLT_PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL (the fake, ending in /api/),
// BOLT_VIEW_FILE (the modal JSON to open).
'use strict';
const fs = require('node:fs');
const { App, HTTPReceiver, LogLevel } = require('@slack/bolt');

const view = JSON.parse(fs.readFileSync(process.env.BOLT_VIEW_FILE, 'utf8'));
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/api/slack/commands',
  processBeforeResponse: false,
  logLevel: LogLevel.WARN,
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => { res.writeHead(200); res.end('ok'); } }],
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

app.command('/mfa-reset', async ({ ack, body, client, logger }) => {
  await ack();
  try {
    await client.views.open({ trigger_id: body.trigger_id, view });
  } catch (error) {
    logger.error(`views.open failed: ${error.message}`);
  }
});

(async () => {
  await app.start({ port: Number(process.env.BOLT_PORT), host: '127.0.0.1' });
})();
