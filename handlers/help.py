"""帮助: what one can say, by role."""

from __future__ import annotations

from handlers import notify
from handlers.directory import Identity
from handlers.messages import IncomingMessage, Outgoing

RESIDENT = """我是{bot}，有事直接在群里说就行，比如「3号楼门口井盖松了」。我会登记工单、通知网格员，处理好了告诉您。
· 我的工单 —— 看自己反映的事办到哪了
· 查询 12 —— 查工单 #12
· 评价 12 5 —— 给办好的工单打 1-5 分（也可以直接回「满意」「不满意」）
· 没修好 —— 办结后没解决，重新处理
· 撤销 12 —— 撤回自己的工单
紧急情况请先打 119 / 120 / 110。"""

OFFICIAL = """网格员 / 社区工作人员可以说：
· 收到 / 接单 12 —— 接单（「收到」接最近通知您的那张）
· 完成 12 已更换井盖 / 已处理 —— 办结，居民会收到通知
· 转 12 社区 —— 上交社区；转 12 孙丽 —— 转给别的网格员
· 退回 12 不归我们网格 —— 退回社区重新分派
· 待办 —— 我的待办；查询 12 —— 工单详情
· 登记 <内容> —— 替居民登记；疑似 —— 看拿不准的消息；登记 <编号> —— 把疑似转成工单
· 统计 / 本周统计 —— 本网格（社区）的数字"""

ADMIN = "· 重载规则 —— 改完规则文件后重新加载"


def help_text(identity: Identity, bot_name: str) -> str:
    text = RESIDENT.format(bot=bot_name)
    if identity.is_official:
        text = OFFICIAL
        if identity.is_admin:
            text += "\n" + ADMIN
    return text


def handle_help(msg: IncomingMessage, identity: Identity, bot_name: str) -> list[Outgoing]:
    return [notify.reply(msg, help_text(identity, bot_name))]
