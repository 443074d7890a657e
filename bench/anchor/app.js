// The anchor: a minimal Bolt for JavaScript app that answers the same commands
// with the same text as pmpo-bot, pointed at the same fake Slack. It exists
// only so bench/run can measure both side by side; it is never shipped.
//
// Environment: SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL (the fake),
// ANCHOR_REPLIES (JSON written by the bench from pmpo-bot's own renderer:
// {"slash": {"compare": <ack payload>, ...}, "mention": <chat.postMessage body>}).
'use strict';
const fs = require('fs');
const { App, LogLevel } = require('@slack/bolt');

const replies = JSON.parse(fs.readFileSync(process.env.ANCHOR_REPLIES, 'utf8'));
const api = process.env.SLACK_API_URL;

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  appToken: process.env.SLACK_APP_TOKEN,
  socketMode: true,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: api },
  installerOptions: { clientOptions: { slackApiUrl: api } },
});

app.command('/pmpo', async ({ command, ack }) => {
  const key = (command.text || '').trim().split(/\s+/)[0] || 'help';
  await ack(replies.slash[key] || replies.slash.compare);
});

app.event('app_mention', async ({ event, client }) => {
  await client.chat.postMessage({
    channel: event.channel,
    thread_ts: event.thread_ts || event.ts,
    ...replies.mention,
  });
});

(async () => {
  await app.start();
  console.log('anchor: started');
})();

process.on('SIGTERM', async () => {
  await app.stop();
  process.exit(0);
});
