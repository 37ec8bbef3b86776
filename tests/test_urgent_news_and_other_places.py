"""A report joins an incident only when it is that incident (review of d11): danger now told
hours after a calm report of the same thing is a new incident, its own ticket whose urgent
ping carries the danger's words; and a report at a place clearly not the incident's (a
garage spot, and a flat whose report said 「我家」) is its own ticket, whatever its subject.
Through the application, as the group and the workers see it."""

from __future__ import annotations

from conftest import ROOM_QN1


def private_to(sent, name):
    return [m.text for m in sent if m.to is not None and m.to.name == name]


async def test_a_trapped_child_hours_after_a_remark_on_lift_waits_is_a_new_urgent_ticket(chat):
    await chat.say("9-1-1201 阿峰", "9号楼电梯等了好久 两部电梯就开了一部 上班都迟到了")
    [morning] = chat.store.tickets.select()
    assert not morning.urgent
    await chat.later(hours=8)
    sent = await chat.say("9号楼 豆豆妈妈", "救命 9号楼1单元电梯卡住了 我儿子关在里面 停在6楼和7楼中间")
    tickets = chat.store.tickets.select()
    assert len(tickets) == 2
    new = next(t for t in tickets if t.id != morning.id)
    assert new.urgent and not chat.ticket(morning.id).urgent
    for worker in ("马建民", "孙丽"):
        [ping] = [t for t in private_to(sent, worker) if t.startswith("【紧急】")]
        assert f"#{new.id}" in ping and "我儿子关在里面" in ping
        assert "上班都迟到了" not in ping
    # her next words go on her ticket, not on the morning's
    await chat.say("9号楼 豆豆妈妈", "孩子在里面哭 门打不开")
    assert len(chat.store.tickets.select()) == 2
    assert [r.person_name for r in chat.store.tickets.reporters(morning.id)] == ["9-1-1201 阿峰"]
    assert "门打不开" in "\n".join(chat.store.conversation.texts(new.id, ("detail",)))


async def test_a_leak_at_a_garage_spot_is_not_a_flats_leak(chat):
    await chat.say("6-2-301 老赵", "我家厨房顶上往下滴水 一滴一滴的 一晚上了")
    [flat] = chat.store.tickets.select()
    await chat.later(hours=3)
    sent = await chat.say("B1-015 车主 小孙", "地下车库B1 15号车位顶上在滴水 都滴到我车顶上了")
    tickets = chat.store.tickets.select()
    assert len(tickets) == 2
    garage = next(t for t in tickets if t.id != flat.id)
    assert "车库" in (garage.location or "")
    assert f"#{garage.id}" in "\n".join(m.text for m in sent if m.room_topic == ROOM_QN1)
    assert [r.person_name for r in chat.store.tickets.reporters(flat.id)] == ["6-2-301 老赵"]


async def test_a_neighbour_of_the_same_unit_telling_of_their_home_still_joins(chat):
    await chat.say("6-2-301 老赵", "我家厨房顶上往下滴水 一滴一滴的 一晚上了")
    [flat] = chat.store.tickets.select()
    await chat.later(minutes=40)
    await chat.say("6-2-201 小钱", "我家厨房顶上也开始滴水了")
    assert len(chat.store.tickets.select()) == 1
    assert len(chat.store.tickets.reporters(flat.id)) == 2


async def test_danger_raised_on_an_incident_reported_just_before_pings_with_its_own_words(chat):
    await chat.say("9-1-1201 阿峰", "9号楼电梯等了好久 两部电梯就开了一部 上班都迟到了")
    [ticket] = chat.store.tickets.select()
    await chat.later(minutes=40)
    sent = await chat.say("9号楼 豆豆妈妈", "救命 9号楼1单元电梯卡住了 我儿子关在里面 停在6楼和7楼中间")
    assert [t.id for t in chat.store.tickets.select()] == [ticket.id] and chat.ticket(ticket.id).urgent
    for worker in ("马建民", "孙丽"):
        [ping] = [t for t in private_to(sent, worker) if t.startswith("【紧急】")]
        assert f"#{ticket.id}" in ping and "我儿子关在里面" in ping and "9号楼 豆豆妈妈" in ping
