#!/usr/bin/env node
/**
 * Gridbot gateway: serves the Wechaty puppet-service protocol (gRPC) on loopback so the
 * Python bot (python-wechaty) can reach WeChat through a Node puppet.
 *
 *   PUPPET        puppet package: wechaty-puppet-mock (default, for tests),
 *                 wechaty-puppet-wechat4u or wechaty-puppet-xp for real WeChat, or
 *                 wechaty-puppet-service to bridge a hosted puppet service
 *   PUPPET_TOKEN  with PUPPET=wechaty-puppet-service: the hosted service's token
 *   ENDPOINT      host:port the gRPC server listens on (default 127.0.0.1:8788);
 *                 PORT alone sets 127.0.0.1:PORT
 *   TOKEN         the token the bot must present (required; never logged)
 *   CONTROL_PORT  mock only: loopback HTTP port of the test control API (default: none)
 *   SCENARIO      mock only: JSON file with the bot, contacts and rooms to create at start
 *   JOURNAL       file where messages wait until the bot has stored them (default
 *                 gateway/data/journal.jsonl); see journal.js
 *   JOURNAL_MAX   at most this many waiting messages (default 10000); the oldest go first
 *   PARENT_PID    optional: exit when this process is gone (tests use it so that no
 *                 gateway outlives a killed test run)
 *   TLS           leave unset. TLS=on serves TLS with the package's insecure test
 *                 certificate, only to check the bot's error message: python-wechaty
 *                 speaks plaintext gRPC only, so keep ENDPOINT on loopback (or behind
 *                 your own tunnel).
 */
'use strict'

const fs = require('fs')
const http = require('http')
const path = require('path')
const { PuppetServer } = require('wechaty-puppet-service')
const { FileBox } = require('file-box')
const { Journal } = require('./journal.js')

const PUPPET = process.env.PUPPET || 'wechaty-puppet-mock'
const ENDPOINT = process.env.ENDPOINT || `127.0.0.1:${process.env.PORT || '8788'}`
const TOKEN = process.env.TOKEN || ''
const CONTROL_PORT = parseInt(process.env.CONTROL_PORT || '0', 10)
const SCENARIO = process.env.SCENARIO || ''
const IS_MOCK = PUPPET === 'wechaty-puppet-mock'
const TLS_ON = process.env.TLS === 'on'
const JOURNAL = process.env.JOURNAL || path.join(__dirname, 'data', 'journal.jsonl')
const JOURNAL_MAX = parseInt(process.env.JOURNAL_MAX || '10000', 10)
// What the bot says through the ding RPC (the protocol has no other way back): "these
// messages are in my inbox" and "send me what I have not stored".
const ACK_PREFIX = 'gridbot-ack:'
const REPLAY = 'gridbot-replay'

function log (...args) {
  console.log(new Date().toISOString(), '[gateway]', ...args)
}

function fail (message) {
  console.error(new Date().toISOString(), '[gateway] ERROR', message)
  process.exit(2)
}

if (!TOKEN) {
  fail('TOKEN is not set: give the gateway the same token as [wechaty] token in the bot config')
}

/* ------------------------------------------------------------------ mock puppet */

/** State of the mock world, shared by the puppet and the control API. */
const world = {
  mocker: null,
  botId: null,
  sent: [], // what the bot sent: {seq, conversationId, roomId, toId, text, mentionIds, kind, time}
  seq: 0,
  logins: 0,
  topics: new Map(), // room id -> topic from the scenario (for /reset)
}

function buildMockPuppet () {
  const { PuppetMock, mock } = require('wechaty-puppet-mock')
  const mocker = new mock.Mocker()
  world.mocker = mocker
  const puppet = new PuppetMock({ mocker })

  // The mock drops the mention list of messageSendText: record it before sending, so
  // tests can check the mention ids that really reached the gateway.
  puppet.messageSendText = async function (conversationId, text, mentionIdList) {
    record(conversationId, 'text', text, mentionIdList || [])
    await this._messageSend(conversationId, text)
  }
  const origSendFile = puppet.messageSendFile.bind(puppet)
  puppet.messageSendFile = async function (conversationId, file) {
    record(conversationId, 'file', file.name, [])
    return origSendFile(conversationId, file)
  }

  // Log the bot in at each client Start (mocker.use runs its behaviours at every
  // puppet start), then emit `ready` ourselves: the mock never does.
  mocker.use(() => {
    if (!world.botId) {
      log('mock: no bot contact yet; waiting for a scenario')
      return () => {}
    }
    const bot = mocker.ContactMock.load(world.botId)
    mocker.login(bot)
    world.logins += 1
    setImmediate(() => puppet.emit('ready', { data: 'ready' }))
    return () => {}
  })
  return puppet
}

function record (conversationId, kind, text, mentionIds) {
  const isRoom = /@/.test(conversationId)
  const entry = {
    seq: ++world.seq,
    conversationId,
    roomId: isRoom ? conversationId : null,
    toId: isRoom ? null : conversationId,
    kind,
    text,
    mentionIds: [...mentionIds],
    time: Date.now(),
  }
  world.sent.push(entry)
  log(`mock: bot sent #${entry.seq} to ${conversationId} (${mentionIds.length} mentions)`)
}

/** Create the bot, contacts and rooms of a scenario (idempotent for existing ids). */
function applyScenario (scenario) {
  const m = world.mocker
  const contact = (c) => {
    if (m.cacheContactPayload.has(c.id)) return m.ContactMock.load(c.id)
    return m.createContact({ id: c.id, name: c.name })
  }
  if (scenario.bot) {
    contact(scenario.bot)
    world.botId = scenario.bot.id
  }
  for (const c of scenario.contacts || []) contact(c)
  for (const r of scenario.rooms || []) {
    if (!/@/.test(r.id)) throw new Error(`room id must contain "@" (e.g. r1@chatroom): ${r.id}`)
    world.topics.set(r.id, r.topic)
    if (m.cacheRoomPayload.has(r.id)) continue
    const members = [...(r.members || [])]
    if (world.botId && !members.includes(world.botId)) members.push(world.botId)
    m.createRoom({ id: r.id, topic: r.topic, memberIdList: members })
  }
  // Log in now if a client is already running (the scenario arrived after Start).
  if (world.botId && world.puppet && world.puppet.state.active() && !world.puppet.isLoggedIn) {
    m.login(m.ContactMock.load(world.botId))
    world.logins += 1
    setImmediate(() => world.puppet.emit('ready', { data: 'ready' }))
  }
}

function conversationOf (body) {
  const m = world.mocker
  if (body.room) return m.RoomMock.load(body.room)
  if (body.to) return m.ContactMock.load(body.to)
  throw new Error('give "room" or "to"')
}

/** Post as a contact, after the current tick (see WECHATY.md: sends are synchronous). */
function say (body, something) {
  const m = world.mocker
  const talker = m.ContactMock.load(body.from)
  const conversation = conversationOf(body)
  const mentions = (body.mentions || []).map((id) => m.ContactMock.load(id))
  const before = new Set(m.cacheMessagePayload.keys())
  talker.say(something, mentions).to(conversation)
  const ids = [...m.cacheMessagePayload.keys()].filter((id) => !before.has(id))
  return ids[0]
}

const routes = {
  'GET /health': () => ({
    ok: true,
    puppet: PUPPET,
    loggedIn: Boolean(world.puppet && world.puppet.isLoggedIn),
    logins: world.logins,
    waiting: world.journal ? world.journal.ids() : [],
    dropped: world.journal ? world.journal.dropped : 0,
  }),
  'POST /scenario': (body) => {
    applyScenario(body)
    return { ok: true }
  },
  'POST /say': (body) => ({ id: say(body, body.text) }),
  'POST /image': (body) => {
    const data = Buffer.from(body.base64, 'base64')
    const box = FileBox.fromBase64(body.base64, body.name || 'photo.jpg')
    return { id: say(body, box), size: data.length }
  },
  'POST /topic': (body) => {
    const m = world.mocker
    m.RoomMock.load(body.room).topic(body.topic).by(m.ContactMock.load(body.by))
    return { ok: true }
  },
  'GET /sent': () => ({ sent: world.sent }),
  'POST /reset': () => {
    // Between tests sharing one gateway: forget what was sent, undo renames, and the
    // messages a bot of an earlier test left unacknowledged.
    world.sent.length = 0
    world.journal.ack(world.journal.ids())
    for (const [id, topic] of world.topics) {
      const payload = world.mocker.cacheRoomPayload.get(id)
      if (payload) payload.topic = topic
    }
    return { ok: true }
  },
}

function startControl () {
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => { raw += chunk })
    req.on('end', () => {
      const route = routes[`${req.method} ${req.url.split('?')[0]}`]
      let status = 200
      let out
      try {
        if (!route) {
          status = 404
          out = { error: `no route ${req.method} ${req.url}` }
        } else {
          out = route(raw ? JSON.parse(raw) : {})
        }
      } catch (e) {
        status = 400
        out = { error: String(e && e.message ? e.message : e) }
      }
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(out))
    })
  })
  server.listen(CONTROL_PORT, '127.0.0.1', () => {
    log(`mock control API on http://127.0.0.1:${server.address().port}`)
  })
  return server
}

/* --------------------------------------------------------------- nothing lost */

/**
 * Journal every message the puppet receives until the bot acknowledges it, and emit the
 * waiting ones again when the bot asks (it does after each login). The puppet-service
 * server alone forwards events only to a connected bot and forgets them otherwise.
 */
function keepMessagesUntilStored (puppet, journal) {
  puppet.on('message', ({ messageId }) => {
    if (!journal.add(messageId)) return // a replay of one already kept
    puppet.messagePayload(messageId)
      .then((payload) => journal.setPayload(messageId, payload))
      .catch((e) => log(`journal: no payload for ${messageId}: ${e.message}`))
  })
  // After a gateway restart the puppet no longer knows old message ids: serve the copy.
  const messagePayload = puppet.messagePayload.bind(puppet)
  puppet.messagePayload = async (id) => {
    try {
      return await messagePayload(id)
    } catch (e) {
      const saved = journal.payload(id)
      if (saved) return saved
      throw e
    }
  }
  const ding = puppet.ding.bind(puppet)
  puppet.ding = (data) => {
    if (typeof data === 'string' && data.startsWith(ACK_PREFIX)) {
      let ids = []
      try {
        ids = JSON.parse(data.slice(ACK_PREFIX.length))
      } catch (e) {
        log(`journal: unreadable ack: ${e.message}`)
      }
      if (Array.isArray(ids)) journal.ack(ids.map(String))
      return
    }
    if (data === REPLAY) {
      setImmediate(() => {
        const ids = journal.ids()
        if (ids.length) log(`journal: sending the bot ${ids.length} message(s) it has not stored yet`)
        for (const id of ids) puppet.emit('message', { messageId: id })
      })
      return
    }
    return ding(data)
  }
}

/* ------------------------------------------------------------------------ main */

/** Load a puppet package, CommonJS or ES module, and find its Puppet class. */
async function loadPuppetClass (name) {
  let mod
  try {
    mod = require(name)
  } catch (e) {
    if (e.code === 'ERR_REQUIRE_ESM') {
      mod = await import(name)
    } else {
      fail(`cannot load puppet "${name}": install it in gateway/ first ` +
        `(npm install --legacy-peer-deps ${name}); ${e.message}`)
    }
  }
  const candidates = [mod.default, ...Object.values(mod)]
  const PuppetClass = candidates.find((c) => typeof c === 'function' && c.prototype &&
    typeof c.prototype.messageSendText === 'function')
  if (!PuppetClass) fail(`"${name}" exports no Puppet class`)
  return PuppetClass
}

async function buildPuppet () {
  if (IS_MOCK) return buildMockPuppet()
  const PuppetClass = await loadPuppetClass(PUPPET)
  // wechaty-puppet-service as the puppet: bridge a hosted puppet service (TLS, token
  // discovery) to the plaintext loopback endpoint python-wechaty can use.
  const options = PUPPET === 'wechaty-puppet-service' && process.env.PUPPET_TOKEN
    ? { token: process.env.PUPPET_TOKEN }
    : {}
  const puppet = new PuppetClass(options)
  // Real puppets log in by QR code: print where to scan it.
  puppet.on('scan', ({ qrcode, status }) => {
    if (qrcode) log(`scan to log in (status ${status}): https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`)
  })
  puppet.on('login', ({ contactId }) => log(`logged in as ${contactId}`))
  puppet.on('logout', ({ contactId }) => log(`logged out: ${contactId}`))
  puppet.on('error', (e) => log(`puppet error: ${e && (e.gerror || e.message || JSON.stringify(e))}`))
  return puppet
}

async function main () {
  const puppet = await buildPuppet()
  world.puppet = puppet
  world.journal = new Journal(JOURNAL, { max: JOURNAL_MAX, log })
  keepMessagesUntilStored(puppet, world.journal)
  if (IS_MOCK && SCENARIO) {
    applyScenario(JSON.parse(fs.readFileSync(SCENARIO, 'utf8')))
  }
  const server = new PuppetServer({ endpoint: ENDPOINT, puppet, token: TOKEN, tls: { disable: !TLS_ON } })
  await server.start()
  const control = IS_MOCK && CONTROL_PORT ? startControl() : null
  log(`serving ${PUPPET} on ${ENDPOINT} (puppet-service protocol, TLS ${TLS_ON ? 'ON: python-wechaty cannot connect' : 'off'})`)

  let stopping = false
  const stop = async (signal) => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping`)
    const timer = setTimeout(() => process.exit(0), 3000)
    timer.unref()
    try {
      if (control) control.close()
      await server.stop()
      if (puppet.state && puppet.state.active()) await puppet.stop()
    } catch (e) {
      log(`stop: ${e.message}`)
    }
    process.exit(0)
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  const parent = parseInt(process.env.PARENT_PID || '0', 10)
  if (parent > 0) {
    setInterval(() => {
      try {
        process.kill(parent, 0)
      } catch (e) {
        if (e.code !== 'EPERM') stop(`parent ${parent} gone`)
      }
    }, 500).unref()
  }
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)))
