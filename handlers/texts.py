"""Every text the bot says, in one place, by section: read and change the wording here.

Chinese, short, warm and plain, the way a good grid worker talks. `{name}` fields are
filled by the handler that sends the text; a text without the field it names fails in
tests, not in a group.
"""

from __future__ import annotations

# --- shared by the ticket commands of residents and officials -------------------------
TICKET = {
    "status_only": "工单 #{id} 当前状态：{status}。",
    "not_found": "没有找到工单 #{id}，请核对一下工单号。",
    "no_number": "请带上工单号，比如「{word} 12」。",
    "bad_number": "工单号不对，请发数字，比如「{word} 12」。",
}

# --- the short answers the bot's word to an official offers, one per act (the words are
# handlers/vocabulary.py's: 收到 / 办好 with a number, 不是诉求): a phone's few taps
ANSWERS = {
    "open": "回「收到 {id}」接单，「办好 {id}」办结，「不是诉求 {id}」关掉误登记。",
    "accepted": "办好了回「办好 {id}」。",
    "many": "编号",  # {id} of a list of several
}

# --- who residents are told has their ticket (handlers/notify.holder) -----------------
HOLDER = {
    "worker": "网格员{name}",
    "staff": "社区{name}",
    "admin": "街道{name}",
    "worker_and_community": "网格员{name}和社区",
    "community": "社区",
    # who has it, as it is (report.who_has_it): never 在跟进 before someone took it
    "taken": "{holder}已接手",
    "told": "已告诉{holder}",
    "later": "{holder}{when}会看到",
    # what an official or the property company last said of it (report.last_said)
    "said": "{who} {time} 说：{gist}",
}

# --- who has it on a day the roster has the grid's worker off (handlers/holding.py) ---
# in the acknowledgement's 「{worker}…」: what the one on duty sees to today, and what
# waits for the worker's next working day
# A worker back from training / a meeting (handlers/away.py): the one who covered is told.
AWAY = {
    "back_some": "{name}回来了，您顶岗时接到的 {ids} 交回给{name}了，您接手了的还归您。",
    "back_none": "{name}回来了，一网格的新事交回给{name}，您顶岗接手的还归您，辛苦了。",
}

DAY_OFF = {
    "on_duty": "{duty}（今天值班，{off}休息）",
    "titled_on_duty": "{duty}（今天{off}休息）",  # the title says 值班 already: 社区值班的刘芳
    "waits": "{off}（今天休息，值班的是{duty}）",
}
# ... and by what they are to residents: the grid's worker, or the one on duty who is not
# one of its workers (the community's staff on a holiday, a colleague of another grid).
TITLE = {
    "worker": "网格员{name}",
    "staff_on_duty": "社区值班的{name}",
    "on_duty": "值班的{name}",
    # a question anyone of the office may answer (d12: 「王秀英回您准话」, 陈海燕 answered):
    # the office promises it, a person only when it is theirs by the roster (on duty)
    "office": "社区",
}

# A resident @s a worker who is not there (handlers/notify.reached): who has it for her now.
STANDS_IN = {
    "away": "{name}这会儿不在，您的话已转给{holder}。",
    "off": "{name}今天休息，您的话已转给{holder}。",
}

# --- a resident's report (handlers/report.py) ---------------------------------------
REPORT = {
    # A resident's praise in the group, passed privately to the one praised (handlers/praised.py).
    "praise_passed": "👍 {who}在群里表扬{whom}：{gist}",
    "praise_you": "您",
    "praise_volunteers": "志愿者{names}",
    "praise_all": "社区和网格的同志",
    # {what}: the thing as people say it (5栋2单元电梯的事, 您说的事: report.what_of), never the
    # office's category (设施报修, 矛盾纠纷: those are for the workers). No emergency numbers:
    # what is urgent is answered by the alarm (EMERGENCY), not by an acknowledgement.
    # A promise the bot keeps: a fault in a shared place gets one line in the group when its
    # holder says it is done (handlers/worker.done); a household's or one person's need, a
    # question, a wish, a quarrel are answered by the holder (「有进展…会回您」), never in the group.
    "ack": "收到，{what}记下了（#{id}），{worker}会尽快跟进，办好了在群里说一声。",
    "ack_private": "收到，{what}记下了（#{id}），{worker}会尽快跟进，办好了告诉您。",
    # outside the ticket's working time: when it will be seen
    "ack_later": "收到，{what}记下了（#{id}），{worker}{when}处理，办好了在群里说一声。",
    "ack_private_later": "收到，{what}记下了（#{id}），{worker}{when}处理，办好了告诉您。",
    "ack_own": "收到，{what}记下了（#{id}），{worker}会尽快跟进，有进展会回您。",
    "ack_own_later": "收到，{what}记下了（#{id}），{worker}{when}处理，有进展会回您。",
    "ack_dispute": "收到，{what}记下了（#{id}），{worker}会单独跟您联系。",
    "ack_dispute_later": "收到，{what}记下了（#{id}），{worker}{when}单独跟您联系。",
    "ack_inquiry": "收到（#{id}），{what}{worker}会回您准话。",
    "ack_inquiry_later": "收到（#{id}），{what}{worker}{when}回您准话。",
    "ack_wish": "收到，{what}记下了（#{id}），{worker}会转给社区，有回音会回您。",
    "ack_wish_later": "收到，{what}记下了（#{id}），{worker}{when}转给社区，有回音会回您。",
    # a day the roster has the worker off and what waits for her: no date (people see to
    # things within hours on a weekend), who is on duty today and how to reach them
    "ack_waits": "收到，{what}记下了（#{id}）。今天{off}休息，值班的是{duty}，着急的话直接@{duty}。",
    "ack_private_waits": "收到，{what}记下了（#{id}）。今天{off}休息，值班的是{duty}，着急的话在群里@{duty}。",
    "ack_own_waits": "收到，{what}记下了（#{id}）。今天{off}休息，值班的是{duty}，着急的话直接@{duty}。",
    "ack_dispute_waits": "收到，{what}记下了（#{id}），今天值班的{duty}会单独跟您联系。",
    "ack_inquiry_waits": "收到（#{id}），{what}{off}会回您准话。今天{off}休息，着急的话@值班的{duty}。",
    "ack_wish_waits": "收到，{what}记下了（#{id}），会转给社区，有回音告诉您。",
    # the report asks who answers for it (归物业管还是归社区管): not left unanswered
    "asked_whose": "您问的归谁管，也会一并回您。",
    "what_thing": "{place}{thing}的事",
    "what_place": "{place}的事",
    "what_said": "您说的事",  # a quarrel (never labelled in the group), or nothing to name
    "what_asked": "您问的事",
    "what_wish": "您的建议",
    "ping": "新工单 #{id}【{kind}】{summary}{photo}。{answers}",
    "urgent": "情况紧急！{emergency}已同时通知网格员{workers}和社区{staff}马上处理，工单 #{id}。",
    "urgent_emergency": "如有危险请先拨打 {number}（{what}）。",
    "urgent_ping": "【紧急】工单 #{id}【{kind}】{summary}。{answers}",
    # to the worker pinged of it minutes ago: what makes it urgent, not the report again
    "urgent_again": "【紧急】工单 #{id}【{kind}】现在按紧急处理：{text}（{who}）。{answers}",
    # to the others, when what makes it urgent came after the report: both, the danger first
    "urgent_raised": "【紧急】工单 #{id}【{kind}】现在按紧急处理：{text}（{who}）。先前反映：{summary}。{answers}",
    "joined": "已有 {n} 位居民反映，记在 #{id}，{who}，处理好了会告诉大家。",
    # one side of a quarrel (the ticket is a quarrel, or their words are): never a count of
    # complaints against them, only that what they said reached the one who sees to it
    "joined_party": "收到，您说的情况记下了（#{id}），{who}。",
    "same_again": "您说的事记在 #{id}，{who}。{said}",
    # a private reporter asks that the group not learn who reported (handlers/anonymous.py)
    "anonymous": "好的，不会在群里说是您反映的，有消息私聊告诉您。",
    "anonymous_worker": "#{id} 的反映人要求不公开：在群里别提是谁反映的，要联系请私聊。",
    # a private reporter adds to their report (handlers/anonymous.py): once per ticket
    "private_detail": "收到，您补充的情况记下了（#{id}），网格员会看到。",
    # ... worried (是不是钱就不给发了): comfort, and who will answer, no policy invented
    "private_detail_worried": "您先别着急，您说的已经转给{holder}了，会帮您弄好，有消息就回您。",
    "private_detail_worried_later": "您先别着急，您说的记下了（#{id}），网格员看到就帮您弄，有消息就回您。",
    # ... to the one who holds it: one line, folded (handlers/anonymous._relay)
    "private_detail_ping": "#{id}【{kind}】反映人{times}补充：{text}（{who}）",
    "private_detail_times": "又说了 {n} 次，最近",
    "private_reporter_hidden": "反映人要求不公开",
    # ... tells it is gone or fixed (线撤了): news of the ticket, not a chase; the holder confirms
    # an official's notice to the group answered a private report (anonymous.acted_in_group)
    "acted_ask": "#{id} 记作在办了：您 {at} 在群里发的提醒正对着这件事（{where}），没提是谁反映的。要不要也私下去那家看一眼？",
    "acted_told": "跟您说一声（#{id}）：网格员{who}刚在群里提醒大家别这么干了，挨楼查，没提是谁反映的。要是还这样，随时私聊告诉我。",
    "private_gone": "谢谢您告诉我们（#{id}）！已经跟{names}说了，请他们去确认一下。",
    "private_gone_again": "谢谢您，记下了（#{id}）。",
    "private_gone_ping": "#{id}【{kind}】居民说已经好了：{text}（{who}）。请去确认一下，确实好了就回「办好 {id}」。",
    # ... that makes it a fire risk: what to do first, and the workers told at once
    "hazard_advice": "收到。请先别靠近，也别自己去拔插头；看到冒火花、冒烟或者着火，马上打 119。已经马上告诉网格员{names}{secret}。",
    "hazard_secret": "，不会说是您反映的",
    "hazard_ping": "⚠️ #{id}【{kind}】可能起火，反映人刚补充：{text}（{who}）。请看要不要今晚就去看一下。",
    "faq": "{answer}\n（如果还没解决，直接在群里说一下具体情况，网格员会联系您。）",
    "faq_again": "这个今天 {time} 群里答过了，往上翻一下就能看到。",
    "what_topic": "{topic}的事",
    # a question put to an official by name: they answer it; the FAQ's answer is their crib
    "asked_by_name": "{who}在群里问您：{text}\n常见问题里的答案供参考：{answer}",
    "no_room": "您好！请在您所在小区的居民群里反映，或者告诉我您住哪个网格，网格员好上门处理。",
    "registered": "已登记工单 #{id}（{kind}{place}）。",
    "with_photos": "（附照片 {n} 张）",
}
# --- a hazard that cannot wait its turn (handlers/severity.py): 「收到」, the matter, why it
# matters, and that someone looks today; the worker hears why too. By the rules' [[hazard]] kind.
HAZARD = {
    "ack": "收到，{what}记下了（#{id}）。{why}，已告诉{worker}，{when}去看。{advice}",
    "ack_private": "收到，{what}记下了（#{id}）。{why}，已告诉{worker}，{when}去看，有消息告诉您。{advice}",
    # ... in quiet hours its ping waits for the morning: said as it is, never 「已告诉」 before it went
    "ack_later": "收到，{what}记下了（#{id}）。{why}，{worker}{at}就会收到，{when}去看。{advice}",
    "ack_private_later": "收到，{what}记下了（#{id}）。{why}，{worker}{at}就会收到，{when}去看，有消息告诉您。{advice}",
    "today": "今天就",
    "soon": "会尽快安排人",  # a day off, nobody on duty: no promise in the worker's name
    "morning": "{day}一早",
    "ping": "⚠️ 安全隐患 #{id}：{summary}{photo}。{why}，{when}得去看一眼。{answers}",
    "property_ping": "⚠️ 安全隐患 #{id}：{summary}{photo}。{why}，请物业{when}安排处理，网格员也已知道。",
    "and_property": "和物业",
    # a resident asks after it: plain words, and what to do meanwhile
    # 「又催了」 names only whom it went to just now (never 「社区」 unless the community was)
    "asked": "收到，{holder}还没回，我刚又跟{told}说了（#{id}）。{advice}",
    "asked_again": "收到，{at}就告诉了{first}，还没人回话；刚又跟{told}说了一遍（#{id}），一有回话就告诉您。{advice}",
    # ... nobody told anything new this time: who has it and since when, nothing invented
    "asked_waiting": "收到（#{id}）。{at}就告诉了{first}，还没人回话，一有回话就告诉您。{advice}",
    "told_and": "和",
    "asked_night": "收到，已经跟{holder}说了，明天一早就看到（#{id}）。{advice}",
    "asked_night_held": "收到，记着呢（#{id}），{holder}明天一早就会收到。{advice}",
    "asked_taken": "收到，{holder}已经接了这件事（#{id}），在办。{advice}",
    "asked_ping": "⚠️ #{id} 居民又问：{text}（{who}）。{why}，请今天去看一眼，或回个话。",
    "hidden": "反映人要求不公开",
    # a later word makes an ordinary report a hazard (a leak, and now the wiring)
    # (to one acknowledged minutes ago: no second 「收到」, what is new is why and what to do)
    "raised": "{why}，{advice}已告诉{holder}，{when}去看（#{id}）。",
    "raised_later": "{why}，{advice}{holder}{at}就会收到，{when}去看（#{id}）。",
    "raised_ping": "⚠️ 安全隐患 #{id}：{who}刚说：{text}。{why}，{when}得去看一眼。",
}
HAZARD_THING = {  # what the hazard is, as people say it (「10号楼东边消防通道的事」)
    "fire_lane": "消防通道", "charging": "充电", "wet_wiring": "漏水", "wiring": "电线",
    "gas": "燃气味",
}
HAZARD_WHY = {
    "fire_lane": "消防通道堵着，着火了消防车进不来",
    "charging": "电动车飞线、拉线充电容易起火",
    "wet_wiring": "水碰到电线容易漏电、起火",
    "wiring": "电线这样容易电到人、起火",
    "falling": "上面的东西掉下来会砸到人",
    "open_pit": "没挡着容易摔着人",
    "gas": "有燃气味可能是哪里漏气",
    "other": "这是安全隐患",
}
# what to do meanwhile: in the acknowledgement no emergency number (it is not urgent) ...
HAZARD_ADVICE = {
    "wet_wiring": "附近的灯和插座先别碰。",
    "wiring": "大家先别碰、别靠近。",
    "falling": "路过的先绕开走。",
    "open_pit": "路过绕着点走，看好孩子。",
    "gas": "先开窗通风，别点火。",
}
# ... and to one who asks again, afraid (「天黑了 又在充了」): when to stop waiting and call
HAZARD_ASKED_ADVICE = {
    "charging": "今晚要是闻到焦味、看见冒火星，马上打 119。",
    "wet_wiring": "附近的灯和插座先别碰，冒火花了马上拉闸、打 119。",
    "wiring": "大家先别碰，冒火花、冒烟了马上打 119。",
    "gas": "先开窗通风，别点火，味道重了马上打燃气抢修电话或 119。",
}
# What a need is about, as residents say it (intents/subjects.toml's names), in this order of
# precedence; a quarrel's subjects (noise, conflict, a person) are not named.
THINGS = {
    "elevator": "电梯", "gas": "燃气", "heating": "暖气",
    "light": "灯", "manhole": "井盖", "drain": "下水道", "garbage": "垃圾", "door": "门",
    "charging": "充电", "wire": "电线", "fire": "消防", "road": "路面", "tree": "树",
    "seats": "座椅", "pet": "宠物", "parking": "停车",
}
# Which of those can be what a need of that intent is about (INTENTS.md): a slope iced over is
# no charging (「推电动车出来差点出溜下去」), an old man stuck upstairs is no drain (「下不去了」).
# A subject said that does not fit is merely mentioned: the ack names only the place.
# An errand is a person's own need: no facility is named. Intents not listed name any.
THINGS_OF = {
    "repair": frozenset({
        "elevator", "heating", "light", "manhole", "drain", "door", "wire", "road", "tree", "seats",
    }),
    "errand": frozenset(),
}
# Water coming through from a neighbour is a leak (「灯槽里都在滴」 is no lamp): named first.
LEAK = ("漏水", "渗水", "滴水", "在滴", "往下滴", "漏到", "漏下来", "渗下来")
LEAK_THING = "漏水"
NOT_LEAK = ("一滴水", "滴水不")  # 「一滴水都没有」 is no water, not a leak:
NO_WATER_THING = "停水"
# A pet's mess is what people complain of, not the pet (「谁家狗天天在那拉屎」 is 狗粪, not 宠物).
DROPPINGS = ("屎", "粪", "便便", "粑粑")
DROPPINGS_THING = {"狗": "狗粪", "猫": "猫屎"}
DROPPINGS_ANY = "宠物粪便"
EMERGENCY_WHAT = {"119": "火警", "120": "急救", "110": "报警", "other": "求助"}

# --- danger now: what to do first, for the danger it is (handlers/report.alarm) --------
# The first line of the group's alarm (and the one line the group hears when an incident it
# knows of turns dangerous later: handlers/report.safety_line, once per incident); `call`: the number residents are told to ring
# themselves when no official has answered (handlers/sla.py).
EMERGENCY = {
    "gas": "闻到燃气味：别开关电灯电器、别打火、别按门铃，开窗通风，人先下楼，到楼下打燃气抢修电话（着火打 119）。",
    "fire": "着火冒烟：人先走楼梯离开，别坐电梯，湿毛巾捂住口鼻，马上打 119。",
    "electric": "带电的东西碰了水、冒火花：大家别碰、别靠近，别用手去拔；能断电的先拉闸断电。",
    "lift": "困在电梯里：别慌，别扒门，按电梯里的警铃，打电梯里贴的救援电话（或 96333），等着救援。",
    "trapped": "有人被困：先打 119，别自己硬来。",
    "fall": "有人摔倒：先打 120，别硬扶，给他盖件衣服保暖，有人陪着等医生。",
    "unwell": "有人晕倒或急病：先打 120，有人陪着，别给他乱吃东西。",
    "drowning": "有人落水：马上打 119 和 120，扔绳子、竹竿或救生圈，别自己下水。",
    "violence": "有人动手：先离远点，马上打 110。",
    "water": "水管爆了、往外冒水：能关的先把总阀关上，别碰泡了水的电线和插座，别往水里走。",
    # a danger of no kind above: its number when the report gives one, else only who was told
    "other": "情况紧急，有危险请先打 {number}（{what}）。",
    "called": "已通知网格员{workers}{duty}（#{id}）。",
    "called_private": "已通知网格员{workers}{duty}（#{id}）。",
    "and_duty": "和{duty}",  # the one on duty today who is not a worker of the grid: woken too
    "nobody_answered": "#{id} 到现在还没有工作人员回复，请不要等，直接打 {call}。",
    "tell_done": "#{id} 的事已经处理好了{note}。谢谢大家帮忙。",
}
# --- an alarm that was nothing: one line to everyone it alerted (handlers/standdown.py) ---
# `gist`: the words that explained it (「烤红薯的 北门那个摊」); `who`: who said so.
STAND_DOWN = {
    "room": "#{id} {who}说了：{gist}。不是着火，虚惊一场，不用去了。真看到明火浓烟，还是直接打 119。",
    "person": "工单 #{id} 虚惊一场：{who}说「{gist}」，不是险情，已关，不用去了。",
    "room_closed": "#{id} {who}看过了，不是险情，虚惊一场，不用去了。",
    "person_closed": "工单 #{id} {who}看过了，不是险情，已关，不用再管了。",
    # a neighbour's word is a reason, not a check: the one it woke looks, and says
    "confirm": "工单 #{id}：{who}说「{gist}」，可能不是着火。麻烦看一眼确认；真是虚惊，回「不是诉求 {id}」就关了。",
    "confirming": "工单 #{id}：{who}说「{gist}」，可能不是着火，已请网格员{workers}看一眼确认，有准信再告诉您。",
}
EMERGENCY_CALL = {
    "gas": "燃气抢修电话或 119", "fire": "119", "electric": "119", "lift": "电梯里的救援电话或 96333",
    "trapped": "119", "fall": "120", "unwell": "120", "drowning": "119 和 120",
    "violence": "110", "water": "物业的维修电话", "other": "{number}",
}

# --- the conversation: echoes, follow-ups, updates (handlers/joining.py, updates.py) ---
CONVERSATION = {
    # to the one who joined only, and only once in a while: the others are told when it is done
    # {who}: taken / told / later below; {said}: what an official last said of it, or ""
    "joined": "这件事记在 #{id}，{who}。{said}",
    # a chase is answered only when the holder is reminded now, saying so (else: silence)
    "follow_up": "{what}（#{id}）记着呢，刚又提醒了{holder}。{said}",
    "follow_up_taken": "{what}（#{id}）{holder}在办，刚又提醒了一下。{said}",
    "follow_up_ping": "居民又问工单 #{id}【{kind}】：{text}（{who}）{photo}。请尽快处理，或在群里回一声。",
    "registered_ping": "#{id}【{kind}】又有居民要登记：{text}（{who}）",
    # the property company said in the group it is done: the worker confirms with one word
    "done_by_others": "{who}在群里说工单 #{id}【{kind}】已办好：{gist}。确认办结请回「办好 {id}」。",
    # staff's notice of planned work explains a new ticket: closed, the reporter told once
    "explained_by_notice": "{who}刚发了通知，是安排好的检修停用，工单 #{id} 先关了；过了通知说的时间还没好，您再说一声。",
    "urgent_ping": "【紧急】工单 #{id}【{kind}】有新情况：{text}（{who}）{photo}，请马上看一下！",
}

# --- flood control (handlers/flood.py) -----------------------------------------------
FLOOD = {
    "slow_down": "您的消息我们都收到了，网格员会一并查看，请稍等，不用重复发送。",
    "more_join": "（后面反映同一问题的居民会一并登记，不再一一回复，处理好了会统一告诉大家。）",
}

# --- workers, staff and admins (handlers/worker.py) ----------------------------------
WORKER = {
    **TICKET,
    "accepted": "好的，工单 #{id} 已由{worker}接单。",
    "tell_accepted": "您说的事（#{id}）网格员{worker}已经接手，正在办。",
    # to each one it was escalated to, once someone took it: they need not worry about it
    "taken_after_escalation": "工单 #{id} {worker}已接手，不用您再管了。",
    "taken_after_escalation_group": "工单 #{id} {worker}已接手，社区不用再安排了。",
    "already": "工单 #{id} 现在是「{status}」，不用再{verb}了。",
    "done": "辛苦了！工单 #{id} 已办结{note}{asked}。",
    "done_asked": "，已请居民确认",  # only when the residents were asked (the closing asked them)
    "tell_done": "#{id} 的事办好了{note}。没修好就回「没修好」，满意回「满意」。",
    # a quarrel, care for a person, a question, an emergency over: the outcome, nothing to rate
    "tell_done_plain": "您说的事（#{id}）有结果了{note}。",
    "no_pending": "最近没有等您接的工单。接单请发「接单 工单号」，看待办发「待办」。",
    "not_yours": "工单 #{id} 不在您负责的网格，请联系该网格的网格员。",
    "closed": "工单 #{id} 已经「{status}」，不能再{verb}了。",
    "escalated": "工单 #{id} 已转社区{staff}处理。",
    "escalate_ping": "工单 #{id}【{kind}】由{by}转交社区：{summary}{note}。请跟进，{answers}",
    "transfer_who": "请说转给谁，比如「转 {id} 社区」或「转 {id} 孙丽」。",
    "transfer_unknown": "没找到「{name}」，请写网格员或社区工作人员的名字。",
    "transferred": "工单 #{id} 已转给{name}。",
    "transfer_ping": "{by}把工单 #{id}【{kind}】转给您：{summary}。{answers}",
    "returned": "工单 #{id} 已退回社区{staff}重新分派。",
    "return_ping": "工单 #{id}【{kind}】被{by}退回{note}：{summary}。请重新分派（「转 {id} 名字」）。",
    "return_why": "请写上退回的原因，比如「退回 {id} 不归我们网格」。",
    "todo_empty": "您负责的网格现在没有待办工单，辛苦了！",
    "todo_head": "待办工单 {n} 件（最急的在前）：",
    "todo_line": "#{id} {kind}{place} · {status} · {age}",
    "todo_more": "……还有 {n} 件，发「待办 {next}」看下一页，「查询 工单号」看详情。",
    "todo_no_page": "待办工单一共 {n} 件，没有第 {page} 页了。",
    "query": "工单 #{id}【{kind}】{status}{urgent}\n{text}\n报告：{reporter} {created}{place}\n负责：{assignee}{accepted}{resolved}{rating}{reporters}",
    # the query's pieces, each there only when it is so
    "query_place": " · {place}",
    "query_accepted": "，{time}接单",
    "query_resolved": "，{time}办结",
    "query_rating": "，评价 {rating} 分",
    "query_reporters": "\n共 {n} 位居民反映",
    "register_empty": "请写上要登记的内容，比如「登记 3号楼2单元楼道灯不亮，王阿姨反映」。",
    "register_where": "请在网格的居民群里登记，或者先说明是哪个网格的事。",
    "registered_none": "这条内容看不出具体诉求，请写清楚是什么事、在哪里。",
    "suspect_missing": "没有找到疑似诉求 #{id}。",
    "suspect_where": "疑似诉求 {id} 是私聊来的，还不知道是哪个网格的。问清楚后发「登记 {id} 网格名」，比如「登记 {id} {grid}」。",
    "suspects_empty": "最近没有疑似诉求。",
    "suspects_head": "疑似诉求（机器拿不准，请看一眼；要登记发「登记 编号」，类别不对发「登记 编号 安全隐患」这样的；不是诉求发「忽略 编号」）：",
    "suspects_line": "{id}. {who}：{text}（{time}）",
    "suspect_unplaced": "【私聊，住处不明】",
    "suspects_before": "    前面 {who}：{text}",
    "reloaded": "规则、常见问题和回话的说法已重新加载。",
    "reload_failed": "文件有错，出错的那部分没有加载，旧的继续生效：{error}",
    "suspect_registered": "已把疑似诉求 {number} 登记为工单 #{id}。",
    "progress_noted": "好的，工单 #{id} 的进展记下了。",
    "outside_reason": "{whom}的事{note}",
    "urgent_mark": "【急】",
    "urgent_tag": "【紧急】",
    "minutes_ago": "{n}分钟前",
    "hours_ago": "{n}小时前",
    "days_ago": "{n}天前",
}

# --- residents about their own tickets (handlers/resident.py) -----------------------
RESIDENT = {
    **TICKET,
    "mine_empty": "您目前没有在办的工单。有事直接在群里说就行。",
    "mine_head": "您的工单：",
    "mine_line": "#{id} {kind}{place} · {status}",
    "not_own": "抱歉，工单 #{id} 不是您反映的，只有反映这件事的居民才能说「{verb}」。",
    "rate_how": "请打 1-5 分，比如「评价 {id} 5」。",
    "rate_not_done": "工单 #{id} 还没办结，办好后再请您评价。",
    "thanks_rating": "谢谢您的评价（{score} 分），工单 #{id} 已办结。{extra}",
    "low_rating_extra": "给您添麻烦了，我们会改进。还有问题可以随时在群里说。",
    "reopened": "抱歉还没弄好！#{id} 已重新交给网格员{worker}处理。",
    "reopen_ping": "居民反映工单 #{id} 还没解决{note}，请再看一下。",
    "cancelled": "工单 #{id} 已撤销。有其他事随时说。",
    "left": "好的，已撤回您对工单 #{id} 的反映。还有其他居民反映了这件事，工单会继续办。",
    "worker_told_left": "一位居民撤回了对工单 #{id} 的反映，还有 {n} 位居民在等。",
    "reporter_view": "工单 #{id}【{kind}】{place}：{status}{worker}。",
    "reporter_view_worker": "，网格员{worker}负责",
    "reporter_view_words": "您反映的是：{text}",
    "cannot_cancel": "工单 #{id} 已经「{status}」，不能撤销了。",
    "worker_told_cancel": "居民撤销了工单 #{id}{why}。",
    "cancel_note": "居民撤销{why}",
    "cannot_reopen": "工单 #{id} 现在是「{status}」，不用重新处理。有新的问题直接在群里说就行。",
}

# --- reminders, escalations, the rating question (handlers/sla.py) ------------------
SLA = {
    # one message per person per round: sections, one line per ticket, most urgent first
    "head_escalate": "⏫ 转给您的工单 {n} 件，请接手：",
    "head_escalate_group": "⏫ 网格没能接手、转社区的工单 {n} 件，请社区安排：",
    "head_remind": "⏰ 超时的工单 {n} 件：",
    # a hazard the community was handed and nobody took: again, twice at most (sla._community_again)
    "head_again": "⏫ 转社区后还没人接的安全隐患 {n} 件，请安排人去看：",
    "line_again": "#{id}【{kind}】{grid} {summary}：{tried}",
    "again_up": "{at} 转到社区，至今没人接",
    "again_asked": "；反映人又问了 {n} 次",
    "again_last": "。这是最后一次提醒，之后列入街道每日清单",
    "head_new": "🆕 新登记的工单 {n} 件：",
    "head_daily": "📋 社区未能办结、请您协调的工单 {n} 件：",
    "head_handled": "✅ 群里有人说在办或办好了的工单 {n} 件，看一眼：",
    "head_word": "💬 这会儿又有 {n} 条消息：",
    "line_accept": "#{id}{urgent}【{kind}】{summary} 已等 {waited}，还没有人接单",
    "line_resolve": "#{id}{urgent}【{kind}】{summary} 已超过办理时限（{limit}），还没办结",
    "line_up_accept": "#{id}{urgent}【{kind}】{grid} {summary}：已等 {waited} 无人接单；之前找过{tried}",
    "line_up_resolve": "#{id}{urgent}【{kind}】{grid} {summary}：超过办理时限（{limit}）仍未办结；之前在{tried}手上",
    # nobody but its reporter's first words says it is a need: not 无人接单, nobody's name
    "line_up_unconfirmed": "#{id}【{kind}】{grid} {summary}：还没人确认是诉求（没人追问、附和），网格没接，请看一眼",
    "line_new": "#{id}{urgent}【{kind}】{summary}",
    "line_handled": "#{id}【{kind}】{summary}：{tried}",
    "line_word": "{tried}",
    "line_daily": "#{id}{urgent}【{kind}】{grid} {summary}：已等 {waited}，{status}；找过{tried}",
    "more": "……还有 {n} 件，发「待办」看全部。",
    "photos": "（附照片 {n} 张）",
    "private_reporter": "居民私聊反映",  # in a group, never the name of one who told it privately
    # to one handed a private report whose reporter asked not to be named
    "secret": "（反映人要求不公开：群里别提是谁反映的，要联系请私聊）",
    # a fire risk told in the night that its holder did not answer (sla._hazard_backup)
    "hazard_backup": "⚠️ #{id}【{kind}】可能起火，反映人刚说：{text}。{holder} {minutes} 分钟没回话，请您看要不要今晚去看一下{secret}。",
    "urgent_mark": "【紧急】",
    "fire_mark": "【可能起火】",  # a fire risk said now (a charging lead in rainwater): cannot wait for the morning
    "tried_times": "（提醒 {n} 次）",
    "working_days": "{n} 个工作日",
    "why_accept": "已 {waited} 无人接单",
    "why_resolve": "超过办理时限（{limit}）仍未办结",
    # when a ticket reported now will be looked at (the acknowledgement says it)
    "when_office": "{day}上班后",
    "when_daytime": "{day} {time} 后",
    "rating": "您反映的问题（#{id}）已处理一段时间了，现在还好吗？满意请回复「满意」或打 1-5 分，还没解决请回复「没解决」。",
    "autoclose_note": "办结后 {hours} 小时未评价，自动关闭",
}

# --- 统计 in the chat (handlers/stats.py) ---------------------------------------------
STATS = {
    "title": "📊 {title} · {period}",
    "received": "收到诉求 {n} 件{detail}",
    "done": "接单 {accepted} 件，办结 {resolved} 件{rate}",
    "rate": "，办结率 {pct}",
    "speed": "接单用时中位 {accept}（九成在 {accept90} 内）{resolve}",
    "resolve_speed": "；办结用时中位 {resolve}",
    "sla": "按时办结 {pct}",
    "after_hours": "夜间/周末/节假日：收到 {received} 件，办结 {resolved} 件",
    "extra": "升级 {escalated} 件，重办 {reopened} 件，调解纠纷 {disputes} 件，收到表扬 {praise} 次",
    "rating": "满意度 {avg} 分（{n} 件有评价）",
    "nothing": "这段时间没有收到诉求。",
    "not_yours": "统计只对网格员和社区工作人员开放。",
    "all_grids": "全部网格",
    "my_grids": "我负责的网格",
    "my_community": "本社区",
}
# the figures by name, as a long table reads them (stats exports)
STATS_COLUMNS = (
    ("received", "收到诉求（件）"), ("accepted", "接单（件）"), ("resolved", "办结（件）"),
    ("resolution_rate", "办结率"), ("accept_minutes_median", "接单用时中位（分钟）"),
    ("accept_minutes_p90", "接单用时 P90（分钟）"), ("resolve_minutes_median", "办结用时中位（分钟）"),
    ("resolve_minutes_p90", "办结用时 P90（分钟）"), ("within_sla_rate", "按时办结率"),
    ("after_hours_received", "非工作时间收到（件）"), ("after_hours_resolved", "非工作时间办结（件）"),
    ("escalated", "升级（件）"), ("reopened", "重办（件）"), ("rating_avg", "平均评分"),
    ("rated", "有评价（件）"), ("disputes_mediated", "调解纠纷（件）"),
    ("wishes_fulfilled", "微心愿实现（件）"), ("praise", "收到表扬（次）"),
)

# --- how a day is said (stats periods, 周一/明天 in promises) ---------------------------
DATES = {
    "day": "{month}月{day}日",
    "span": "{first}—{last}",
    "near": ("今天", "明天"),
    "weekday": "周{name}",
    "weekday_names": "一二三四五六日",
}

PERIOD_NAMES = {"today": "今日", "week": "本周", "last_week": "上周", "month": "本月"}

# --- the weekly summary (handlers/summary.py) ----------------------------------------
SUMMARY = {
    "grid_head": "【上周网格服务小结】{period}",
    "grid_received": "上周本网格收到居民诉求 {n} 件{detail}，办结 {resolved} 件。",
    "grid_speed": "一般 {accept}内就有人接手，{resolve}内办好。",
    "grid_speed_accept_only": "一般 {accept}内就有人接手。",
    "grid_after_hours": "其中 {n} 件是在夜间、周末或节假日提出的，也都当时记下、及时跟进了。",
    "grid_rating": "居民评价平均 {avg} 分。",
    "grid_praise": "收到居民表扬 {n} 次。",
    "grid_thanks": "感谢网格员{worker}的辛苦付出{helpers}！有事随时在群里说，小助手 24 小时都会记下；夜里有危险请直接打 110/119/120。",
    "grid_helpers": "，也谢谢{names}的帮忙",
    "community_head": "【{community} 上周网格服务周报】{period}",
    "community_total": (
        "全社区：收到 {received} 件，办结 {resolved} 件，办结率 {rate}；接单中位 {accept}，"
        "办结中位 {resolve}，按时办结 {sla}；夜间/周末/节假日收到 {after} 件、办结 {after_done} 件；"
        "升级 {escalated} 件，重办 {reopened} 件，调解纠纷 {disputes} 件，表扬 {praise} 次。"
    ),
    # {kinds}: 改类别 2、不是诉求 1 … (handlers/corrections.KINDS_ZH)
    "community_corrections": "网格员更正机器的判断 {n} 次（{kinds}），已记下，下次训练模型时学进去。",
    "community_none": "上周各网格没有登记工单。",
    "table_head": "网格｜收到｜办结｜接单中位｜夜间周末｜满意度",
    "table_row": "{grid}｜{received}｜{resolved}｜{accept}｜{after}｜{rating}",
}

# --- corrections of the classifier (handlers/corrections.py) ------------------------------
CORRECTIONS = {
    "which_intent": "改成哪一类？比如「改 12 安全隐患」。可以写：设施报修、代办求助、矛盾纠纷、安全隐患、环境卫生、微心愿、政策咨询、表扬感谢、不是诉求。",
    "same_intent": "#{id} 本来就是「{intent}」，没有改。",
    "intent_changed": "已把 #{id} 从「{was}」改为「{intent}」。同样的话以后都这样认，下次训练也会学进去。",
    "not_a_need": "已把 #{id} 标为不是诉求，工单关闭，不通知居民群。以后同样的话不再登记。",
    "not_a_need_kept": "#{id} 已经{status}，工单不动；已记下这不是诉求，以后同样的话不再登记。",
    "now_urgent": "已把 #{id} 标为紧急。以后同样的话会当紧急处理。",
    "now_not_urgent": "已把 #{id} 标为不急。以后同样的话不当紧急。",
    "suspect_dismissed": "已把疑似诉求 {id} 标为不是诉求，不再列出。以后同样的话不再当疑似。",
    "suspect_gone": "疑似诉求 {id} 已经登记或处理过了，没有改动。",
}

# --- 帮助 (handlers/help.py; the lines themselves are in handlers/vocabulary.py) --------
HELP = {
    "resident_head": "我是{bot}，有事直接在群里说就行，比如「3号楼门口井盖松了」。我会登记工单、通知网格员，处理好了告诉您。",
    "resident_tail": "紧急情况请先打 119 / 120 / 110。",
    "official_head": "网格员 / 社区工作人员可以说：",
    "line": "· {usage} —— {help}",
}

# --- the router: who may say what, where (bot/router.py) ------------------------------
ROUTER = {
    "officials_only": "抱歉，这个操作只有本网格的网格员和社区工作人员可以做。有事请直接在群里说，我们会登记处理。",
    "admins_only": "「{word}」只有管理员可以用。",
    "in_group_only": "「{word}」请在群里说。",
    "in_private_only": "「{word}」请私聊我说。",
}

# --- binding officials and rooms to WeChat ids (handlers/identity.py, rooms.py, binding.py)
BINDING = {
    "look_alike": "⚠️ 有人用「{shown}」这个名字在{where}说话，和{name}的名字一样，但这个微信号（{id}）没有绑定，我按居民对待。如果就是{name}本人，请私聊我发「绑定码 {name}」，把绑定码当面或电话交给本人。",
    "privately": "私聊里",
    "copycat": "⚠️ 新群「{topic}」（{id}）的群名和已接入的「{ref}」对得上，但不是同一个群，我没有接入它：群里的消息不处理，也不往里发。如果大家真的换到了这个新群，请管理员在新群里发「绑定本群」。",
    "issue_who": "请写上给谁的绑定码，比如「绑定码 孙丽」。",
    "issue_unknown": "配置里没有叫「{name}」的网格员或社区工作人员。",
    "code": "给{name}的绑定码：{code}（{hours} 小时内有效，只能用一次）。请当面或打电话告诉{name}本人，让本人私聊我发「绑定 {code}」。不要发到群里。",
    "wrong_code": "绑定码不对或已过期。请找管理员要一个新的。",
    "too_many": "错的绑定码太多了，请一小时后再试，或找管理员。",
    "bound": "绑定好了！您是{roles}{name}，以后就按这个微信号认您。发「帮助」看能说什么。{waiting}",
    "bound_waiting": "之前有 {n} 条消息在等您，这就发给您。",
    "waiting_admins": "{name}还没有绑定微信号，发给{name}的消息（工单通知、提醒）先存着，还没发出去。请私聊我发「绑定码 {name}」，把绑定码当面或打电话交给{name}本人；{name}私聊我发「绑定 绑定码」后，存着的消息马上发过去。",
    "bound_admins": "{name}已绑定微信号（{id}）。{replaced}",
    "replaced": "原来绑定的微信号（{id}）不再代表本人。",
    "role_worker": "{grid}的网格员",
    "role_staff": "{community}的工作人员",
    "role_admin": "管理员",
    "room_unknown": "本群群名「{topic}」不在配置里，先把它写进配置（网格的 rooms 或社区的 admin_room）再绑定。",
    "room_by_id": "本群在配置里是按群 id 写的，已经绑定好了。",
    "room_bound": "好的，本群已绑定为「{ref}」（{what}），以后只认这个群。",
    "staff_room": "工作群",
    "room_moved": "「{ref}」改绑到了新群，原来的群（{old}）不再接入。",
}

# --- 后台: the sign-in link to the office's dashboard (handlers/signin.py) ------------
SIGNIN = {
    "link": "您的社区工作台登录链接（{minutes} 分钟内有效，只能用一次，请勿转发）：\n{url}",
}

# --- 合并 12 到 8: one need reported as two tickets (handlers/merge.py) ---------------
MERGE = {
    "into_what": "请说并到哪一张，比如「合并 {id} 到 8」。",
    "same": "工单 #{id} 不能并到它自己。",
    "not_open": "工单 #{id} 现在是「{status}」，不能再合并了。",
    "target_closed": "工单 #{into} 已经「{status}」，请并到还在办的工单。",
    "merged": "已把工单 #{id} 并到 #{into}，#{id} 的居民会在 #{into} 办好时收到通知。",
    "tell_merged": "您反映的问题和工单 #{into} 是同一件事，已一起处理（#{id} 并入 #{into}），办好了会告诉您。",
}

# --- the bot's questions (handlers/questions.py) ----------------------------------------
QUESTIONS = {
    "which": "您说的是 {options}？回复编号就行。",
    "option": "#{id} {brief}",
    "or": "，还是 ",
    "where": "您好！请问您住哪个小区？回复编号或名字就行：{options}",
    "where_free": "您好！请问您住哪个小区、哪栋楼？告诉我小区名字，我转给负责的网格员。",
    "where_option": "{n}. {name}",
    "where_or": "；",
    # not placed by the answer (handlers/unplaced.py): which of these, once more, or handed over
    "where_which": "好的，是下面哪一个？回复编号就行：{options}",
    "where_which_again": "不好意思，没对上。是下面哪一个？回复编号就行：{options}",
    "where_option_rooms": "{n}. {name}（{rooms}）",
    "where_again": "不好意思，还没弄清您住哪儿。我们这边负责{communities}，您住哪个社区、哪个小区？说个名字就行。",
    "where_and": "和",
    "where_communities_more": "等",
    "where_kept": "好的，您反映的事已经记下了。您住的地方我们还没弄清，社区工作人员会尽快联系您。",
    "where_kept_admins": "有居民私聊反映，没说清住哪个小区，记为疑似诉求：\n{lines}\n请联系对方问清楚，再发「登记 {id} 网格名」，比如「登记 {id} {grid}」。",
    "where_kept_line": "{id}. {who}：{text}",
    "where_unanswered_admins": "有居民私聊反映，问他住哪个小区，两个小时没有回复，记为疑似诉求：\n{lines}\n请联系对方问清楚，再发「登记 {id} 网格名」，比如「登记 {id} {grid}」。",
    "where_urgent_admins": "【紧急】有居民私聊反映，还不知道住哪个小区，正在问：\n{line}\n问清了会马上转给网格；您也可以直接联系对方。",
}
