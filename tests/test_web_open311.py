"""Open311 GeoReport v2: responses checked against the spec's field names and formats,
and nothing personal of residents in them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import ROOM_BH1
from webtools import open_office

# GeoReport v2, "GET Service Requests" response fields, in the spec's order.
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")  # 2010-04-14T06:37:38-08:00
KEY = "city-key-123"


@pytest.fixture
async def office(open_chat, example_config):
    web = replace(example_config.settings.web, open311_api_key=KEY)
    config = replace(example_config, settings=replace(example_config.settings, web=web))
    chat = await open_chat(config)
    office = await open_office(chat)
    await chat.say("张阿姨", "5-2-601 门口井盖又翘起来了，我电话13812345678")  # 1
    await chat.say("马建民", "接单 1")
    await chat.say("赵阿姨", "楼上天天半夜跺脚，吵得睡不着，说了也不听", room=ROOM_BH1)  # 2
    chat.clock.advance(timedelta(hours=1))
    await chat.say("马建民", "完成 1 已更换新井盖，有事打13900001111")
    yield office
    await office.client.close()


def check_request(item: dict) -> None:
    assert list(item) == REQUEST_FIELDS
    assert isinstance(item["service_request_id"], str) and item["service_request_id"].isdigit()
    assert item["status"] in ("open", "closed")
    for key in ("requested_datetime", "updated_datetime"):
        assert W3C.match(item[key]), item[key]
    assert item["expected_datetime"] is None or W3C.match(item["expected_datetime"])
    for key in ("lat", "long"):
        assert item[key] is None or isinstance(item[key], float)


def no_personal_data(body: str) -> None:
    for private in ("张阿姨", "赵阿姨", "13812345678", "13900001111", "601", "wxid_", "wx-"):
        assert private not in body, private


async def test_services(office):
    response = await office.get("/open311/v2/services.json")
    assert response.status == 200 and response.content_type == "application/json"
    services = await response.json()
    assert [s["service_code"] for s in services] == [
        "repair", "errand", "dispute", "safety", "sanitation", "wish", "inquiry"]
    for s in services:
        assert list(s) == SERVICE_FIELDS
        assert s["metadata"] is False and s["type"] == "realtime" and s["service_name"]


async def test_requests_with_the_spec_fields_and_no_personal_data(office):
    response = await office.get("/open311/v2/requests.json")
    assert response.status == 200
    body = await response.text()
    items = await response.json()
    assert [i["service_request_id"] for i in items] == ["2", "1"]  # newest first
    for item in items:
        check_request(item)
    no_personal_data(body)
    done, waiting = items[1], items[0]
    assert done["status"] == "closed" and done["service_code"] == "repair"
    assert done["service_name"] == "设施报修"
    assert done["status_notes"].startswith("已处理待评价：已更换新井盖")
    assert done["address"] == "5-2-***"  # the building and unit, not the flat
    assert done["description"] == "5-2-*** 门口井盖又翘起来了，我电话***********"
    assert done["address_id"] == "qn-1" and done["agency_responsible"] == "青年路社区 青年路第一网格"
    assert done["requested_datetime"] == "2026-11-23T10:00:00+08:00"
    assert done["updated_datetime"] == "2026-11-23T11:00:00+08:00"
    assert done["expected_datetime"] is None
    assert waiting["status"] == "open" and waiting["status_notes"] == "待接单"
    assert waiting["expected_datetime"] == "2026-11-23T10:30:00+08:00"  # 30 minutes to accept


async def test_request_filters(office):
    async def ids(query: str) -> list[str]:
        response = await office.get(f"/open311/v2/requests.json?{query}")
        assert response.status == 200, await response.text()
        return [i["service_request_id"] for i in await response.json()]

    assert await ids("status=open") == ["2"]
    assert await ids("status=closed") == ["1"]
    assert await ids("status=open,closed") == ["2", "1"]
    assert await ids("service_code=dispute") == ["2"]
    assert await ids("service_code=repair,dispute") == ["2", "1"]
    assert await ids("start_date=2026-11-23T10:00:01%2B08:00") == []
    assert await ids("end_date=2026-11-23T10:00:01%2B08:00") == ["2", "1"]
    assert await ids("start_date=2026-11-22T00:00:00Z&end_date=2026-11-23T01:00:00Z") == []
    assert await ids("service_request_id=1") == ["1"]
    for bad in ("status=pending", "service_code=pizza", "start_date=yesterday",
                "service_request_id=abc"):
        response = await office.get(f"/open311/v2/requests.json?{bad}")
        assert response.status == 400
        [error] = await response.json()
        assert error["code"] == 400 and error["description"]


async def test_one_request(office):
    response = await office.get("/open311/v2/requests/1.json")
    [item] = await response.json()
    check_request(item)
    assert item["service_request_id"] == "1"
    no_personal_data(await response.text())
    missing = await office.get("/open311/v2/requests/99.json")
    assert missing.status == 404 and (await missing.json())[0]["code"] == 404


async def test_creating_a_request_needs_the_key_and_pings_the_worker(office):
    chat = office.chat
    form = {"api_key": KEY, "service_code": "sanitation", "address_id": "qn-2",
            "address_string": "8号楼东侧", "description": "8号楼东侧垃圾堆了三天没人清",
            "first_name": "刘", "last_name": "先生", "phone": "13700002222"}
    for key in ("", "wrong"):
        response = await office.post("/open311/v2/requests.json", {**form, "api_key": key})
        assert response.status == 403 and (await response.json())[0]["code"] == 403
    for change in ({"service_code": "pizza"}, {"description": ""}, {"address_id": "nowhere"}):
        response = await office.post("/open311/v2/requests.json", {**form, **change})
        assert response.status == 400, change
    assert chat.ticket(3) is None

    response = await office.post("/open311/v2/requests.json", form)
    assert response.status == 200
    [created] = await response.json()
    assert created["service_request_id"] == "3" and created["service_notice"]
    ticket = chat.ticket(3)
    assert (ticket.intent, ticket.grid_id, ticket.location, ticket.status) == (
        "sanitation", "qn-2", "8号楼东侧", "open")
    assert "13700002222" in ticket.text and "13700002222" not in ticket.masked_text
    await chat.app.outbox.deliver_due()
    sent = chat.transport.take()
    assert [m.to.name for m in sent if m.to] == ["孙丽"]  # the grid's worker, privately
    assert not [m for m in sent if m.room_id]  # nothing posted in a residents' group
    [item] = await (await office.get("/open311/v2/requests/3.json")).json()
    assert item["status"] == "open" and item["address"] == "8号楼东侧"
    assert "13700002222" not in str(item) and "刘" not in str(item)


async def test_no_key_configured_means_no_creating(open_chat):
    chat = await open_chat()
    office = await open_office(chat)
    try:
        response = await office.post("/open311/v2/requests.json", {
            "api_key": "", "service_code": "repair", "description": "路灯坏了", "address_id": "qn-1"})
        assert response.status == 403
    finally:
        await office.client.close()
