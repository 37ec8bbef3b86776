'use strict'
/**
 * The gateway's journal of received messages: every message event is written to disk
 * before it goes to the bot, and stays until the bot says it has stored the message
 * (an ack). On the bot's request (after each login) the unacknowledged messages are
 * emitted again, so nothing said while the bot was down, restarting or crashing is lost;
 * the bot's inbox, keyed by message id, makes a second delivery harmless.
 *
 * The file is JSON Lines, appended and fsynced: {"op":"add","id","at"},
 * {"op":"payload","id","payload"} (the message itself, so a replay works after a gateway
 * restart, when the puppet no longer knows the id), {"op":"ack","id"} and
 * {"op":"drop","id"}. It is rewritten with only the pending messages when it grows.
 * At most `max` messages are kept: beyond that the oldest are dropped, and logged.
 */

const fs = require('fs')
const path = require('path')

class Journal {
  constructor (file, { max = 10000, log = () => {} } = {}) {
    this.file = file
    this.max = max
    this.log = log
    this.pending = new Map() // id -> { at, payload }, oldest first
    this.lines = 0
    this.dropped = 0
    fs.mkdirSync(path.dirname(file), { recursive: true })
    this._load()
    this._rewrite()
  }

  _load () {
    if (!fs.existsSync(this.file)) return
    const text = fs.readFileSync(this.file, 'utf8')
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      let entry
      try {
        entry = JSON.parse(line)
      } catch (e) {
        continue // the last line of a crash, cut short
      }
      if (entry.op === 'add') this.pending.set(entry.id, { at: entry.at, payload: null })
      else if (entry.op === 'payload' && this.pending.has(entry.id)) this.pending.get(entry.id).payload = entry.payload
      else if (entry.op === 'ack' || entry.op === 'drop') this.pending.delete(entry.id)
    }
    if (this.pending.size) this.log(`journal: ${this.pending.size} message(s) not yet stored by the bot, kept from the last run`)
  }

  _append (...entries) {
    if (!entries.length) return
    const fd = fs.openSync(this.file, 'a', 0o600)
    try {
      fs.writeSync(fd, entries.map((e) => JSON.stringify(e) + '\n').join(''))
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    this.lines += entries.length
  }

  /** Keep only what is pending (written aside, then renamed over: never half a file). */
  _rewrite () {
    const lines = []
    for (const [id, { at, payload }] of this.pending) {
      lines.push(JSON.stringify({ op: 'add', id, at }))
      if (payload) lines.push(JSON.stringify({ op: 'payload', id, payload }))
    }
    const aside = this.file + '.tmp'
    const fd = fs.openSync(aside, 'w', 0o600)
    try {
      fs.writeSync(fd, lines.length ? lines.join('\n') + '\n' : '')
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(aside, this.file)
    this.lines = lines.length
  }

  _maybeCompact () {
    if (this.lines > 2 * this.pending.size + 1000) this._rewrite()
  }

  has (id) {
    return this.pending.has(id)
  }

  /** A message arrived: on disk before anything else. False if it was already here. */
  add (id) {
    if (!id || this.pending.has(id)) return false
    const at = Date.now()
    this.pending.set(id, { at, payload: null })
    this._append({ op: 'add', id, at })
    while (this.pending.size > this.max) {
      const [oldest] = this.pending.keys()
      this.pending.delete(oldest)
      this._append({ op: 'drop', id: oldest })
      this.dropped += 1
      this.log(`journal: full (${this.max} messages the bot has not stored); dropped the oldest, ${oldest}`)
    }
    return true
  }

  setPayload (id, payload) {
    const entry = this.pending.get(id)
    if (!entry || entry.payload) return
    entry.payload = payload
    this._append({ op: 'payload', id, payload })
  }

  payload (id) {
    const entry = this.pending.get(id)
    return entry ? entry.payload : null
  }

  /** The bot has these in its inbox: forget them. */
  ack (ids) {
    const entries = ids.filter((id) => this.pending.delete(id)).map((id) => ({ op: 'ack', id }))
    this._append(...entries)
    this._maybeCompact()
    return entries.length
  }

  ids () {
    return [...this.pending.keys()]
  }
}

module.exports = { Journal }
