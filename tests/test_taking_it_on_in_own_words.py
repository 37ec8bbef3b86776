"""Officials and volunteers take a matter on in their own words (review of d11, finding 5):
「我私聊」 of a quarrel, 「X阿姨下午过去」 of a request, 「马上到9号楼」 while a lift
emergency there is talked through, and 「已恢复送电」 said of it afterwards. What is taken is
not chased; the worker is not asked which ticket they meant. Through the application."""

from __future__ import annotations

from storage.states import TicketState


def private_to(sent, name):
    return [m.text for m in sent if m.to is not None and m.to.name == name]


async def test_i_will_talk_to_you_both_privately_takes_the_quarrel_and_stops_the_chase(chat):
    await chat.say("3-1-201 老钱", "楼上302天天半夜跺脚拖椅子 说了好几次也不听 跟他家吵了好几回了")
    await chat.say("3-1-302 李姐", "我家晚上九点就睡了 哪来的跺脚 你就是针对我")
    await chat.say("3-1-201 老钱", "谁针对你了 你家半夜咚咚的整栋楼都听见")
    [ticket] = chat.store.tickets.select()
    sent = await chat.say("马建民", "两位别在群里吵了 我私聊")
    assert private_to(sent, "马建民") == []
    assert chat.ticket(ticket.id).status == TicketState.ACCEPTED
    assert chat.ticket(ticket.id).assignee_name == "马建民"
    sent = await chat.later(hours=4)
    assert not any(f"#{ticket.id}" in m.text for m in sent)


async def test_a_volunteer_sent_in_the_workers_quote_reply_takes_the_request(chat):
    await chat.say("2号楼 老杨", "养老金认证在手机上咋弄啊？谁能帮帮俺 俺老两口都不会弄")
    [ticket] = chat.store.tickets.select()
    sent = await chat.say(
        "马建民",
        "「2号楼 老杨：养老金认证在手机上咋弄啊？谁能帮帮俺 俺老两口都不会弄」\n- - - - - - - - - - - - - - -\n"
        "王阿姨下午过去 弄不了我再去",
    )
    assert chat.ticket(ticket.id).status == TicketState.ACCEPTED
    assert not any("回复编号" in t for t in private_to(sent, "马建民"))
    later = await chat.later(hours=4)
    assert not any(f"#{ticket.id}" in m.text for m in later)


async def test_the_backup_going_to_the_emergencys_building_takes_it_and_the_worker_is_not_asked(chat):
    await chat.say("3-1-101 老周", "3号楼楼道灯不亮 晚上黑乎乎的")
    await chat.later(hours=6)
    await chat.say("9号楼 豆豆妈妈", "救命 9号楼1单元电梯卡住了 我儿子关在里面 停在6楼和7楼中间")
    lift = next(t for t in chat.store.tickets.select() if t.urgent)
    await chat.say("9-1-702 老蒋", "我在7楼 听见孩子声了 孩子没事")
    await chat.say("孙丽", "我在附近 马上到9号楼")
    assert chat.ticket(lift.id).status == TicketState.ACCEPTED
    assert chat.ticket(lift.id).assignee_name == "孙丽"
    sent = await chat.say("马建民", "到了")
    assert private_to(sent, "马建民") == []  # not asked which of his tickets he came to
    assert chat.ticket(lift.id).assignee_name == "孙丽"


async def test_power_back_in_the_emergencys_building_closes_it(chat):
    await chat.say("5-3-302 小周", "5号楼3单元楼道里有股烧焦味 像是电线烧了 电表箱在冒烟")
    [smoke] = chat.store.tickets.select()
    assert smoke.urgent
    await chat.say("孙丽", "我往5号楼去 大家先别进楼道")
    assert chat.ticket(smoke.id).status == TicketState.ACCEPTED
    await chat.later(minutes=40)
    await chat.say("马建民", "5号楼3单元已恢复送电 线路明天全查一遍")
    assert chat.ticket(smoke.id).status in (TicketState.RESOLVED, TicketState.CLOSED)
