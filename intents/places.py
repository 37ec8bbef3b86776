"""Find the place a message names (3号楼2单元, 5-2-601, 北门, 惠民超市门口).

A place is a chain of adjacent parts: estate (南湖新村), road (文昌路), landmark
(丁香公园, 惠民超市), gate (北门), building (3号楼, 三栋, 5#), unit, floor, room,
dashed address (5-2-601), zone (B区), and relative words that only extend a chain
(门口, 后面, 楼下, 那一段). A chain needs at least one real part, so a generic 楼道,
楼下 or 阳台 alone is no place. Matching runs on length-preserving folded text so
the span returned is the one the resident wrote (traditional characters included).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from .normalize import build_fold_table, quick_start, read_char_map, strip_surrogates

_CN = "一二三四五六七八九十两零〇"
_NUM = rf"(?:[0-9]{{1,3}}|[{_CN}]{{1,3}})"
# Characters that never belong to a place name: function words, verbs of motion,
# pronouns. They stop a name from swallowing the words before it.
_STOP = (
    "的了是我你他她它们那这个把被给跟与就都也还又很最在去到从过说看找问叫让要想能会请址旧望知办送午晚早现"
    "没不有啊吗呢吧呀嘛哦哈么着得地对向往每今昨明天时候点刚才就再已经楼下上里面外前后边"
    "家住条段块片座盏根位一几多少些好全整各该此其某谁啥咋哪进出回开用做拿放堆挖装修"
    "走行以喺嗰咗啲唔冇係佢嘅噉侬"
)
_NAME = rf"(?:(?![{_STOP}])[\u4e00-\u9fff])"
# Inside a name fewer characters stop it (解放街, 前进路, 市一医院).
_MID_STOP = "".join(c for c in _STOP if c not in "一放开用做拿堆挖装修上下前后好全整才明天") + "议门"
_NAME_MID = rf"(?:(?![{_MID_STOP}])[\u4e00-\u9fff])"

# Landmarks that need a name before them (a bare 超市 is no particular place) ...
_LM_NAMED = (
    "公园|超市|小学|中学|学校|幼儿园|医院|卫生院|诊所|药店|药房|大药房|菜场|市场|商场|"
    "小卖部|便利店|商店|烧烤|饭店|餐馆|面馆|酒店|宾馆|宠物店|水果店|理发店|银行|广场(?!舞)|大厦|"
    "地铁站|大桥|加油站|体育馆|图书馆|农贸市场|批发部|茶馆|棋牌室|网吧|火锅店|奶茶店|早餐店|修车铺|"
    "大排档|电影院|邮局|供销社|轻轨站|火车站|汽车站|ktv|庙|寺|桥|亭"
)
# ... and community fixtures that name a place on their own.
_LM_BARE = (
    "篮球场|足球场|羽毛球场|乒乓球台|健身广场|健身区|车棚|自行车棚|电动车棚|地下车库|车库|停车场|"
    "配电房|配电室|泵房|水泵房|垃圾站|垃圾房|垃圾中转站|垃圾池|儿童乐园|游乐场|中心花园|小游园|"
    "活动室|活动中心|服务站|服务中心|宣传栏|公告栏|主干道|草坪|池塘|凉亭|保安室|门卫室|"
    "门岗|岗亭|快递柜|丰巢柜|菜鸟驿站|驿站|快递站|公厕|公共厕所|人防工程|菜市场|农贸市场|公交总站|公交站牌|公交站|街市|弄堂口|公交车站|[东南西北小]广场|"
    "天桥|桥洞|大桥|后院|地库|河边|湖边|坡道|喷泉池|喷泉|水池|中庭|会所|游泳池|泳池|儿童游乐区|游乐区|锅炉房|"
    "菜站|党群服务中心|电梯厅|传达室|保安亭|垃圾分类点|垃圾分类亭|江堤|河堤|河坝|平台|人工湖|物业前台|"
    "前台|服务大厅|健身角|洗衣台|后巷|梯坎|(?:老|市|区)?[一二三四五六七八九十]{1,2}(?:中|小)(?![学心间午时])"
)
_ESTATE = ("新村|花园|小区|家园|苑|公寓|新城|花苑|山庄|嘉园|华庭|名邸|佳园|大院|宿舍|家属院|家属楼|家属区|"
           "安置小区|安置点|安置区|花城|悦府|半岛|湾|[一二三四五六七八九十]村")
_ROAD = "大道|大街|路|街|巷|胡同"
_GATE = r"(?:[东南西北正后侧][0-9一二三]?门|大门|小门|[0-9一二三四五六七八九十]{1,2}号门)"

# A unit or door-way number: a numbered 楼, 号, 排 or 组 right before one is a building (北方
# 3楼2单元, 三号二单元, 5排3门洞), not a floor.
_UNIT_NO = rf"{_NUM}(?:单元|门洞)"

_PARTS: list[tuple[str, str]] = [
    # (kind, pattern); order matters where alternatives overlap.
    ("dash", r"(?<![0-9\-:：.])[0-9]{1,2}-[0-9]{1,2}(?:-[0-9]{3,4}(?![0-9\-.]|[:：][0-9])|-[0-9]{1,2}[楼层]|单元|(?![0-9\-:：.])(?!岁|年|月|日|号(?!楼)|点|周|天|个|人|元|块|斤|度|%|次|栋|号楼|幢))"),
    # a parking space (b2-105) or a car-park level (b1) before what is there
    ("space", r"(?<![a-z0-9])[a-z][0-9]{0,2}(?:-[0-9]{1,2})?-[0-9]{2,4}(?![0-9])"),
    ("level", r"(?<![a-z0-9])b[1-4](?![0-9a-z])(?=车库|地库|电梯厅|电梯口|东区|西区|南区|北区|[a-z]?区|层|停车场|消防|靠近|那|坡道|[东南西北]边|出口|入口|$|的|有|\s)|负[一二三]楼|负[一二三]层"),
    ("zone", rf"(?:[a-z](?:-?[0-9]{{2,4}}(?![0-9])|区)|{_NUM}[区期](?!域|别|分)|(?<![\u4e00-\u9fff])[东南西北中]区(?!域|别|分)|[东南西北]{{2}}角(?!落))"),
    ("building", rf"(?:(?<![0-9\-])[0-9]{{1,2}}-[0-9]{{1,2}}(?=号楼|栋|幢)|(?<![a-z])[a-z]?[0-9]{{1,3}}|[{_CN}]{{1,3}}|(?<![a-z])[a-z])(?:号楼|(?:栋|幢|#)楼(?![下上道顶梯里到])|栋|幢|座(?!位|椅)|#|号(?=[0-9]{{3,4}}|单元)|(?:楼|号|排|组)(?={_UNIT_NO}))"),
    ("row", r"(?:[东西南北前后中]|[0-9]{1,2})排[0-9]{1,3}号(?![0-9楼])"),
    ("unit", rf"{_NUM}单元|[东西中]边?单元|(?:{_NUM}|[东西南北中])门洞"),
    ("estate", rf"(?:{_NUM}号院|[东南西北前后]院(?![子里])|{_NAME}{_NAME_MID}{{1,3}}?(?:{_ESTATE})(?!街|大街|大道|巷)|{_NAME}(?:苑|湾|府)(?!路|街|大道|大街|巷)|{_NAME}{_NAME_MID}{{1,3}}?里(?={_NUM}(?:号楼|栋|幢|#|期)|[0-9]{{1,2}}-|[东南西北正后侧]?门(?![口前外卫禁铃锁框把窗诊])|菜市场|[0-9]{{1,3}}号\s*$)|(?<![\u4e00-\u9fff]){_NAME}{_NAME_MID}{{1,2}}里(?=\s*$)|(?<![\u4e00-\u9fff])(?:家属院|家属区|安置房|安置点|新村)|社区(?=[东南西北正后侧]?门|大门)|xq(?=[东南西北正后侧]?门|大门)|小区(?=[东南西北](?:边|面|侧)|[东南西北正后侧]?门|大门|[0-9一二三四五六七八九十]{{1,2}}号门|{_LM_BARE}|公交站|广场))"),
    ("road", rf"{_NAME}{_NAME_MID}{{1,3}}?(?:(?<![线马道公水铁网电思套出走来去一老迷带让开])(?:{_ROAD})|(?<=一)(?:大道|大街))(?:(?:[0-9]{{1,3}}巷)?(?:[0-9]{{1,4}}|[{_CN}]{{1,4}})号院?|辅路)?(?!灯|面|边|过|费|况|线|由|子|程|途|段|牌)"),
    ("landmark", rf"(?:(?:[0-9]{{1,2}}|[{_CN}]{{1,2}})号(?:{_LM_BARE})|{_NAME}{_NAME_MID}{{1,3}}?(?:{_LM_NAMED})|老(?:{_LM_NAMED})|(?:社区|老)?(?:{_NAME}{_NAME_MID})?(?:{_LM_BARE})|(?:{_LM_NAMED}|理发店|水果店|药店|饭店|小卖部)(?=门口|入口|门前|旁边|对面|后面|[东南西北正后侧]门|大门))"),
    ("gate", _GATE),
    ("floor", rf"(?:{_NUM}(?:楼|层)|负[一二三](?:楼|层))(?=电梯口|电梯厅|走廊|平台)"),
    ("post", rf"{_NUM}号岗"),
]
_REL = (
    "单元门口|门洞口|单元门前面|门口|门前|楼下|后面|前面|后边|前边|后头|前头|背后|后身儿?|旁边儿?|侧边|对面|附近|那边|这边|周围|边上|"
    "交叉口|交口|十字路口|对门|丁字路口|边边|下面|边(?!上)|外面人行道上|人行道上|出站口|进口|入口|出口|路口|口|中段|[东南西北](?:面|边|侧|头)|西头|东头|地下室|地下车库|"
    "外墙|临街那面|沿河|进来|出来|长椅周围|人行道|外头|外边|外面|底下|跟前|边边|拐角|走廊|路边|进门"
)
# What is at a place and is named with it (3号楼西山墙, 东门水果店, b1车库西北角).
_FIXTURE = ("西山墙|东山墙|山墙|[东南西北]{2}角|角落|拐角|消防通道口|通道口|水果店|水果摊|烧烤店|便利店|"
            "小卖部|广场|主路|草坪|草丛|空地|[左右]手边|健身步道|步道|沙滩|花坛|秋千|过道|天桥|巷子|商铺|后厨|回收箱|旧衣回收箱")
# A house number after an estate (莲花五村23号), not a date (华联小区5号停水).
_ESTATE_NO = r"[0-9]{1,3}号(?=[0-9一二三四五六七八九十]{1,2}[楼层]|院|门口|\s|$|[，。,！!])"
_TAIL = r"(?:[那这]一?(?:段(?:马路|人行道|坡道|路)|段|片空地|片|条小河沟|条河沟|条小河|条河|条小路|条小道|条路|条道|条沟|块空地|块地|边|面)儿?)"
_FLOOR = rf"{_NUM}(?:楼|层)(?!道|下|上|梯|顶|房)"
_ROOM = r"[0-9]{3,4}(?:室|号|房)?(?![0-9])|[东西中]户"
# What a building, unit or car-park level is followed by to say where in it.
_SPOT = (
    rf"电梯口|电梯厅|电梯间|电梯大堂|一楼大厅|大厅|大堂|传达室|底商|"
    rf"消防楼梯口|楼梯口|负[一二三]楼|负[一二三]层|地下室|楼前|楼后|[a-z]梯|[东南西北中]梯|{_NUM}门(?![口前外卫禁铃锁框把窗诊洞])|"
    rf"车库|地库|停车场|[东南西北]区|[a-z]区"
)
_CORE_KINDS = {"dash", "zone", "building", "row", "unit", "estate", "road", "landmark", "gate", "outside",
               "space", "level", "floor", "post"}
_BUILDING_KINDS = {"dash", "building", "row", "unit", "room", "space"}
# Places outside the estate: a resident going there is not where the need is.
_OUTSIDE_RE = re.compile("医院|卫生院|诊所|银行|派出所|学校|小学|中学|幼儿园|超市|药店|药房|商场")

_PART_RE = re.compile(quick_start("|".join(f"(?P<{k}>{p})" for k, p in _PARTS)))
_REL_RE = re.compile(rf"(?:{_REL})")
_TAIL_RE = re.compile(_TAIL)
_FIXTURE_RE = re.compile(_FIXTURE)
_NAMED_SHOP_RE = re.compile(rf"{_NAME}{_NAME_MID}{{1,4}}?(?:烧烤|火锅|ktv|{_LM_NAMED})|步道")
_ESTATE_NO_RE = re.compile(_ESTATE_NO)
_ESTATE_PART_RE = re.compile(rf"[{_CN}]{{1,2}}村(?=[0-9]{{1,3}}号)|[东南西北]村(?![0-9a-z\u4e00-\u9fff])")
_FLOOR_RE = re.compile(_FLOOR)
_ROOM_RE = re.compile(_ROOM)
_BAY_RE = re.compile(r"[0-9]{1,4}号?车位")
# A door number after a building, unit or floor (3号楼2单元5号, 2楼3号, 12栋1单元3号): a
# household, not a date (3栋12号开始停水) nor a number of its own (5号楼, 2号门, 3号线).
_DOOR_RE = re.compile(rf"(?:[0-9]{{1,2}}|[{_CN}]{{1,3}})号(?![0-9{_CN}楼院门岗线车位台机床梯电口窗柜箱桩井灯])"
                      r"(?!之前|以前|以后|之后|开始|前|后|起|到|至|晚|早|上午|下午|中午|凌晨|那天|当天|左右|截止|见|报名|集合)")
_SPOT_RE = re.compile(_SPOT)
# One character of side after a building: 6栋前 (not 6栋前两天), 8号楼西 said as the end of a clause.
_SIDE_RE = re.compile(r"前(?![天两几一二三四五六七八九十年段阵些晚夜日月个次面边头后台排半])|[东南西北](?=\s*$|[\s，。！？,.!?；;])")
# A second relative word after a gate or an entrance: 地库出口旁边, 北门外面路边.
_REL_AGAIN_RE = re.compile("旁边|路边|边上|人行道上|对面|附近|[左右]手边")
_REL_FIRST = ("门口", "口", "外面", "外头", "外边")
_LANDMARK_SPOTS = {"电梯口", "电梯厅", "电梯间", "大厅", "大堂", "楼梯口"}
_OPEN_SPOT_RE = re.compile("空地|草坪|草地|绿地|广告牌|宣传栏|公交站|路口")
_NUMERIC_RE = re.compile(rf"[0-9a-z{_CN}]+")
_ANCHOR_RE = re.compile(quick_start(rf"(?:{_ESTATE}|{_ROAD}|{_LM_NAMED}|{_LM_BARE}|门|里|小区|区|院|岗|排|角)"))
_LM_ANY_RE = re.compile(rf"(?:{_LM_NAMED}|{_LM_BARE})")
_LM_BARE_RE = re.compile(_LM_BARE)
_CAR_PARK_RE = re.compile("(?:地下)?车库|地库|停车场")
_JOIN_RE = re.compile(r"(?:和|与|跟|到|至|靠近|靠)")
_BETWEEN_RE = re.compile(r"(?:之间|中间)")
_SHOP_RE = re.compile(r"那家")
_THAT_RE = re.compile(
    r"(?:那|这|嗰)(?:家|个|条|片|块|棵|根|排|扇|栋|段|间|座)"
    r"(?:[^\s，。！？,.!?的了在是把被有又还都也就]{0,5}?"
    r"(?:店|馆|铺|档|摊|坡道|过道|通道|车道|路(?![灯面口边])|街|沟|坡(?!道)|空地|角落|墙角|"
    r"房子|平房|楼(?![梯道下上顶层房])|棚|池|园|场|站(?!牌)|草坪|草丛|湖|河|坑|厂|牙科|ktv|网吧|拐角|工地|烧烤(?!店)|"
    r"电线杆|巷子|巷|胡同|天桥|健身角)"
    r"|卖[^\s，。！？,.!?]{1,4}的)")
# A bare room number counts when a neighbour word points at it: 楼上1202, 对门502家.
_ROOM_CTX_RE = re.compile(r"(?:楼上|楼下|隔壁|对门|对面|顶楼|住)(?P<room>[0-9]{3,4}(?:-[0-9](?![0-9\-]))?)(?![0-9])"
                          # ... or said alone at the end (…一股味 302): a floor and a door
                          # number, not a price or a year (300, 150, 2025)
                          r"|(?<![0-9*]\s)(?<=\s)(?P<last>[1-9][0-9]?0[1-9])\s*$"
                          # ... or when it names a household: 502那家, 1203的, 1801门口
                          r"|(?<![0-9a-z\-:：.#/])(?P<bare>[1-9][0-9]?0[1-9](?:-[0-9](?![0-9\-]))?)(?=那家|那户|的|家|门口|室|号房|住户|业主)"
                          # ... or said as a word of its own (1502天天半夜拖椅子, 就是103, 一楼 102
                          # 估计…): a floor and a door number before no unit, time or count
                          # (501那老爷子 is whose, not where)
                          r"|(?<![0-9a-z\-:：.#/*+])(?<![0-9*]\s)(?<!我是)(?<!我家)(?P<alone>[1-9][0-9]?0[1-9])(?![0-9a-z\-:：.%/]|那)"
                          r"(?!\s*[一每]?[年月日号点分秒元块角毛斤两克个只人次岁米平度路班期届楼层栋幢座单室房户位名张件套台辆份箱袋盒])")
_DEFAULT_FOLD = build_fold_table({})
_SAID_WHERE_RE = re.compile(r"(?:就在|地点[:：]?|地址[:：]?|位置[:：]?)$")
_LIST_ITEM_RE = re.compile(r"\n[ \t]*[0-9]{1,2}[.、．]")
# A place named as people do, by what is there: at the start of a sentence (or after 在),
# a short name and 那家/那个/那条… with what it is: 东头那家烧烤店, 老供销社那栋楼, 北边那个工地,
# 后坡那边 (那边 / 那段 only after a word of place: 头, 坡, 街, 根…).
_LEAD_STOP = "的了是在把被给跟与就都也还又很最去到从过说看找问叫让要想能会请有没不啊吗呢吧呀嘛哦哈么着得我你他她它们那这家今昨明天刚才早晚午和次回以现每"
_LEAD_RE = re.compile(
    r"(?:^|(?<=[\s，。！？,.!?：:；;]|在))"
    rf"(?P<name>(?:(?![{_LEAD_STOP}])[\u4e00-\u9fff]){{2,6}}?)"
    r"(?=[那这](?:一?[家个条片棵根排扇栋段间座边]))")
_PLACE_END = "头边口坡根街路巷河沟场站楼院房角里下后前面"
# An estate name right before a building or zone, back to the start of the message or to
# a word that is no part of a name (是, 在, 住, 的, punctuation...): 钟楼小区4号楼, 我是
# 百货大楼宿舍3号楼的, 钢厂三区11栋. Its suffix says it is an estate; before a zone (三区,
# C区) any short name is one.
_ESTATE_FOLLOWERS = {"building", "zone", "estate", "unit", "dash", "row"}
_NOT_IN_NAME = "喺嗰咗啲唔冇係佢侬的了是在住我你他她们咱俺这那个本吗啊呢吧和跟与到从去说问找请今昨明天早晚有要就都也"
_WHERE_IN = "里上下边头面内外前后旁"  # 车库里B区: B区 is in the car park, 车库里 is no name
# A name the part patterns stop short of (洪都新村: 都 stops a name; 枫林绿洲3栋: no suffix
# says estate) when it is all that stands between a clause's start and the place: an
# address said on its own (…有没有人管啊 金山碧水9座).
_NOT_NAME_RE = re.compile(r"(?:[春夏秋冬雨晴白今昨明前每当]天|天天|雨后|下完?雨|[上下这本]周|[上这]次|[今去明前那]年|阿拉|感谢|谢谢|适合|"
                          r"上(?=[小中大]学|幼儿园|医院|街(?![道区]))|改成|一起跳?)")
_SUFFIX_ONLY_RE = re.compile("小区|花园|新村|家园|新城|公寓|半岛|宿舍|大院|家属院|家属楼|家属区")
_CLAUSE_END = " \t\n，。！？,.!?：:；;、「」【】()（）~～…"
_SHOP_NAME_STOP = "".join(ch for ch in _STOP if ch not in "天好家一全多") + "离及道号"
_ADVERBS = "都也就还又才只全共"  # one of them alone before a name is no part of it
_KIN = "阿嬷姨叔姐哥爷奶婆公伯妈爸舅嫂"
_NO_NAME = "喺嗰咗啲唔冇係佢侬过址借希以的了是在我你他她们咱俺这那个吗啊呢吧和跟与到从去说问找请要就也住有没不很今昨明天早晚午夜快喂哎嗯哦呀让把被给对向往每刚才已经又还再隔"
_LEFT_ESTATE_RE = re.compile(
    rf"(?:(?<![\u4e00-\u9fff])|(?<=[{_NOT_IN_NAME}]))"
    rf"(?P<name>(?:(?![{_NOT_IN_NAME}])[\u4e00-\u9fff]){{1,6}}?"
    r"(?P<suffix>小区|社区|宿舍|家属院|家属楼|家属区|大院|新村|村|苑|花园|家园|新城|半岛|湾|公寓|园区|区|园)?)$")


class Chain(NamedTuple):
    """A run of adjacent place parts: where it starts and (kind, end) of each part."""

    start: int
    parts: tuple[tuple[str, int], ...]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.parts)


class PlaceFinder:
    """Stateless extractor; holds the fold table so traditional text is understood."""

    def __init__(self, fold_table: dict[int, str] | None = None) -> None:
        self.fold_table = fold_table or _DEFAULT_FOLD

    def chains(self, text: str) -> list[Chain]:
        """All place chains, in text order, with the end of each of their parts."""
        return self._chains(strip_surrogates(text).translate(self.fold_table))

    def _chains(self, folded: str) -> list[Chain]:
        found: list[Chain] = []
        # Where a part can start: at a number or letter, or up to four characters
        # before a place word (路, 公园, 门...). Trying only there is much cheaper
        # than a regex search from every position, and finds the same parts.
        starts = {m.start() for m in _NUMERIC_RE.finditer(folded)}
        has_digits = any(map(str.isdigit, folded)) if starts else False
        for m in _ANCHOR_RE.finditer(folded):
            starts.update(range(max(m.start() - 4, 0), m.start() + 1))
        pos = 0
        for p in sorted(starts):
            if p < pos:
                continue
            m = _PART_RE.match(folded, p)
            if m is None:
                continue
            if m.lastgroup in ("estate", "road", "landmark"):
                # A name does not begin before a time or a verb said just before it:
                # 夏天垃圾房 -> 垃圾房, 下雨天农贸市场 -> 农贸市场, 孩子上小学 -> no place.
                # (one that began just before counts: 下雨以后路 is no 雨以后路)
                cut = next((c for c in _NOT_NAME_RE.finditer(folded, max(p - 3, 0), m.end())
                            if c.end() > p), None)
                if cut is not None and cut.end() < m.end():
                    m = _PART_RE.match(folded, cut.end())
                    if m is None or m.end() <= cut.end():
                        pos = cut.end()
                        continue
            chain = self._chain(folded, m)
            found.append(chain)
            pos = max(chain.end, m.start() + 1)
        for m in _ROOM_CTX_RE.finditer(folded) if has_digits else ():
            g = next(g for g in ("room", "bare", "last", "alone") if m.group(g))
            s, e = m.span(g)
            if g == "bare" and folded.startswith("门口", e):
                e += 2  # 1801门口: the spot at that door
            if not any(c.start <= s < c.end for c in found):
                found.append(Chain(s, (("room", e),)))
        found.sort()
        return self._with_estates(folded, found)

    @staticmethod
    def _with_estates(folded: str, found: list[Chain]) -> list[Chain]:
        """The whole place as written: an estate name the part patterns cannot read (钟楼小区,
        百货大楼宿舍, 钢厂三区) joins the building or zone right after it, and a chain it
        swallows goes."""
        out: list[Chain] = []
        for c in found:
            start = c.start
            if c.start and c.parts[0][0] in _ESTATE_FOLLOWERS and "\u4e00" <= folded[c.start - 1] <= "\u9fff":
                m = _LEFT_ESTATE_RE.search(folded, max(c.start - 10, 0), c.start)
                if m and (m.group("suffix") or (c.parts[0][0] == "zone"
                                                and m.group("name")[-1] not in _WHERE_IN)):
                    c = PlaceFinder._clause_named(folded, Chain(m.start(), c.parts), True)
                elif m and _SUFFIX_ONLY_RE.fullmatch(m.group("name")):
                    # 金都花园5栋: the name stopped at 都, its suffix is all that was read
                    c = PlaceFinder._clause_named(folded, Chain(m.start(), c.parts), True)
                elif c.parts[0][0] == "building":
                    c = PlaceFinder._clause_named(folded, c, False)
            if c.start and c.parts[0][0] in ("estate", "road") and c.start == start:
                c = PlaceFinder._clause_named(folded, c, True)
            elif c.start and c.parts[0][0] in ("landmark", "outside") and c.start == start:
                # a shop's name begun with a word that elsewhere stops one (天天水果店, 好又多超市),
                # not a place word or a verb before it (楼下, 地点, 放, 离)
                named = PlaceFinder._clause_named(folded, c, True)
                if not any(ch in _SHOP_NAME_STOP for ch in folded[named.start:c.start]):
                    c = named
            out.append(c)
        for m in _LEAD_RE.finditer(folded) if "那" in folded or "这" in folded else ():
            that = _that(folded, m.end(), _SAID_WHERE_RE.search(
                folded, max(m.start("name") - 4, 0), m.start("name")) is not None)
            if that is None and m.group("name")[-1] in _PLACE_END:
                that = _TAIL_RE.match(folded, m.end())
            if that is not None:
                start = m.start("name")
                # A place already read inside the name starts it, but for a one-character
                # modifier (老电影院): 推荐一下东门那家牙科 -> 东门那家牙科.
                inner = [o.start for o in out if start + 1 < o.start < m.end()]
                end = that.end()
                # what it is may be read as a place of its own that goes on (那个公交站后面)
                end = max([o.end for o in out if m.end() <= o.start < end < o.end], default=end)
                lead = Chain(min(inner, default=start), (("lead", end),))
                if not any(o.start < lead.end and lead.start < o.end
                           and not (lead.start <= o.start and o.end <= lead.end) for o in out):
                    out.append(lead)
        out.sort()
        return [c for c in out
                if not any(o is not c and o.start <= c.start and c.end <= o.end
                           and (o.start, o.end) != (c.start, c.end) for o in out)]

    @staticmethod
    def _clause_named(folded: str, c: Chain, named: bool) -> Chain:
        """The chain with the rest of its clause before it, when that rest is what the
        patterns stopped short of: one or two characters of a name already begun (洪都新村,
        哈达街; `named`), or a four-character estate name before a building said on its own
        (…有没有人管啊 金山碧水9座)."""
        s = c.start
        b = s
        while b > 0 and s - b <= 4 and folded[b - 1] not in _CLAUSE_END:
            b -= 1
        prefix = folded[b:s]
        if not prefix or (b and folded[b - 1] not in _CLAUSE_END):
            return c
        if not all("\u4e00" <= ch <= "\u9fff" and ch not in _NO_NAME for ch in prefix):
            return c
        if _NOT_NAME_RE.search(folded, b, s + 1):  # 上周隔壁小区, 上次…
            return c
        if named and len(prefix) <= 2 and prefix not in _ADVERBS:
            return Chain(b, c.parts)
        alone = c.end == len(folded) or folded[c.end] in _CLAUSE_END
        if (len(prefix) == 4 and c.parts[0][0] == "building" and len(c.parts) == 1 and alone
                and not any(ch in _STOP or ch in _KIN for ch in prefix)):
            return Chain(b, c.parts)
        return c

    def of_quote(self, sender_name: str, quoted: str) -> str | None:
        """The place of a quoted message, for a reply that names none: the place its words
        name, else a household in its sender's name (「7-2-501 老周：楼道灯又不亮了」)."""
        place = self.extract(quoted[:500])
        if place is None:
            home = self.extract(sender_name[:100])
            place = home if home and any(ch.isdigit() for ch in home) else None
        return place

    def candidates(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """All place chains as (start, end, kinds of their parts), in text order."""
        return [(c.start, c.end, c.kinds) for c in self.chains(text)]

    def _chain(self, text: str, first: re.Match[str]) -> Chain:
        """Extend a first part greedily with parts, floors, rooms, relatives and tails."""
        start, end = first.span()
        kinds = [first.lastgroup or ""]
        ends = [end]
        where = _SAID_WHERE_RE.search(text, max(start - 4, 0), start) is not None
        while True:
            nxt = self._next_part(text, end, kinds, where)
            if nxt is None:
                break
            kind, end = nxt
            kinds.append(kind)
            ends.append(end)
        if kinds[0] == "landmark" and _OUTSIDE_RE.search(text, start, end):
            kinds[0] = "outside"
        return Chain(start, tuple(zip(kinds, ends, strict=True)))

    def _next_part(self, text: str, pos: int, kinds: list[str],
                   where: bool = False) -> tuple[str, int] | None:
        if pos >= len(text):
            return None
        last = kinds[-1]
        if last in ("building", "unit", "dash", "floor", "zone", "estate", "level", "spot", "space"):
            m = _SPOT_RE.match(text, pos)
            if m and not (last == "spot" and kinds.count("spot") > 1):
                return "spot", m.end()
        if last in ("landmark", "gate", "outside"):
            m = _SPOT_RE.match(text, pos) if last == "landmark" else None
            if m and m.group(0) in _LANDMARK_SPOTS:
                return "spot", m.end()
            m = _FLOOR_RE.match(text, pos)
            if m and "floor" not in kinds:
                return "floor", m.end()
        if last == "building" and text.startswith("下", pos) and text[pos - 1] == "楼":
            return "rel", pos + 1
        if last == "landmark" and text.startswith("楼上", pos):
            return "rel", pos + 2  # 菜市场楼上: above the market (after a building it is a floor up)
        if last == "rel" and text.startswith("的", pos):
            m = _LM_ANY_RE.match(text, pos + 1) or _OPEN_SPOT_RE.match(text, pos + 1)
            if m:
                return "of", m.end()
        if last in ("road", "rel", "tail") and text.startswith("的", pos) and "of" not in kinds:
            m = _NAMED_SHOP_RE.match(text, pos + 1)
            if m:
                return "of", m.end()
        if last in ("landmark",) and text.startswith(("b1", "b2", "b3", "负"), pos):
            m = _PART_RE.match(text, pos)
            if m and m.lastgroup == "level":
                return "level", m.end()
        if last in ("building", "unit", "dash", "floor", "zone", "fixture"):
            m = _FLOOR_RE.match(text, pos)
            if m and last != "floor":
                return "floor", m.end()
        if last in ("zone", "level", "landmark", "spot"):
            m = _BAY_RE.match(text, pos)
            if m:
                return "space", m.end()  # 停车场B区12号车位
        if last in ("building", "unit", "floor", "zone", "spot"):
            m = _ROOM_RE.match(text, pos)
            if m:
                return "room", m.end()
        if last in ("building", "unit", "floor"):
            m = _DOOR_RE.match(text, pos)
            if m:
                return "room", m.end()
        if last == "estate" or (last == "zone" and "estate" in kinds):
            m = _ESTATE_NO_RE.match(text, pos)
            if m:
                return "building", m.end()
            m = _ESTATE_PART_RE.match(text, pos)
            if m and "zone" not in kinds:
                return "zone", m.end()  # 曹杨新村三村41号: a part of the estate
        if last in ("building", "unit", "gate", "landmark", "rel", "level", "zone", "spot", "room") \
                and "fixture" not in kinds:
            m = _FIXTURE_RE.match(text, pos)
            if m:
                return "fixture", m.end()
        if last in ("road", "estate"):
            m = _LM_ANY_RE.match(text, pos)
            if m:
                return "landmark", m.end()
        if last in ("building", "unit", "dash", "row"):
            m = _SIDE_RE.match(text, pos)
            if m:
                return "rel", m.end()
        m = _PART_RE.match(text, pos)
        if m and m.end() > pos:
            kind = m.lastgroup or ""
            # A second estate or road glued on is usually a new phrase, not a part.
            if not (kind in ("estate",) and "estate" in kinds):
                return kind, m.end()
        m = _REL_RE.match(text, pos)
        if m and last not in ("tail", "space") and "rel" not in kinds:
            return "rel", m.end()
        if last == "rel" and kinds.count("rel") == 1 and text.endswith(_REL_FIRST, 0, pos):
            m = _REL_AGAIN_RE.match(text, pos)
            if m:
                return "rel", m.end()
        if last == "gate" and text.startswith(("外面", "外边", "里面"), pos):
            return "rel", pos + 2
        m = _TAIL_RE.match(text, pos)
        if (last in _CORE_KINDS or last == "rel") and "that" not in kinds:
            that = _that(text, pos, where)  # 那片草丛 says more than the tail 那片
            if that and (m is None or that.end() > m.end()):
                return "that", that.end()
        if m and last != "tail":
            return "tail", m.end()
        if last in _CORE_KINDS or last in ("rel", "floor", "room"):
            m = _JOIN_RE.match(text, pos)
            if m:
                p = _PART_RE.match(text, m.end())
                lm = _LM_ANY_RE.match(text, m.end())
                if (p and p.lastgroup in _CORE_KINDS) or lm:
                    end = max(p.end() if p else 0, lm.end() if lm else 0)
                    b = _BETWEEN_RE.match(text, end)
                    return "join", b.end() if b else end
            m = _that(text, pos, where)
            if m and "that" not in kinds:
                return "that", m.end()
            m = _SHOP_RE.match(text, pos)
            if m:
                p = _LM_ANY_RE.match(text, m.end()) or _PART_RE.match(text, m.end())
                if p and (p.re is _LM_ANY_RE or p.lastgroup == "landmark"):
                    return "shop", p.end()
        return None

    def extract(self, text: str) -> str | None:
        """The place as written: the first chain, unless a later one says more about the same
        spot (九栋 -> 九栋楼下, 垃圾站 -> 南门垃圾站), or the first is a place outside the
        estate (医院, 学校) and a later one is a building."""
        text = strip_surrogates(text)
        folded = text.translate(self.fold_table)
        cands = [(c.start, c.end, c.kinds) for c in self._chains(folded)]
        if not cands:
            return None
        best = cands[0]

        def core_of(c: tuple[int, int, tuple[str, ...]]) -> str:
            key = normalize_place(folded[c[0]:c[1]])
            return _REL_TAIL_RE.sub("", key) or key

        for cand in cands[1:]:
            core, other = core_of(best), core_of(cand)
            if _SAID_WHERE_RE.search(folded, max(cand[0] - 4, 0), cand[0]) \
                    and not _SAID_WHERE_RE.search(folded, max(best[0] - 4, 0), best[0]):
                best = cand  # …掉下去了 就在电厂家属院后头那段: the place said as the place
            elif _says_more(core, other) and (len(other) > len(core) or len(cand[2]) > len(best[2])):
                best = cand
            elif best[2][0] == "outside" and (any(k in _BUILDING_KINDS for k in cand[2])
                                              or cand[2][0] in ("landmark", "gate")):
                best = cand  # 市中医院专家…在社区广场: where it happens is here
            elif "\n" in folded[best[1]:cand[0]] and _LIST_ITEM_RE.search(folded, best[1], cand[0]):
                continue  # 接龙 lines name the people signing up, not the place
            elif (best[2][0] == "landmark" and not any(k in _BUILDING_KINDS for k in best[2])
                  and ("room" in cand[2] or "unit" in cand[2] or "dash" in cand[2])):
                best = cand  # a home address (5栋302) says more than a spot passed by
            elif (best[2] == ("landmark",) and _LM_BARE_RE.fullmatch(folded, best[0], best[1])
                  and cand[2][0] in ("building", "row")):
                best = cand  # 配电房冒火花了 8栋旁边: the fixture is what, the building where
            elif (best[2] == ("landmark",) and _CAR_PARK_RE.fullmatch(folded, best[0], best[1])
                  and cand[2][0] in ("zone", "level", "space") and folded[cand[0]].isascii()):
                best = cand  # 地下车库…自燃了 B2-105那一排: the car park said first, the spot in it after
        last = cands[-1]
        if last is not best and _said_last(folded, last[0], last[1]) \
                and not _LIST_ITEM_RE.search(folded, best[1], last[0]) \
                and not (last[2] == ("room",) and "building" in best[2]):  # 5栋…漏水 1203: 5栋
            best = last  # …配电室的门一直敞着 小孩老往里钻 在3号楼地下室: the address, said last
        return text[best[0]:best[1]]


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_to_int(s: str) -> int | None:
    if not s:
        return None
    if all(c in _CN_DIGITS for c in s):  # 一二 -> 12 (rare, read as digits)
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    return None


_CN_NUM_RE = re.compile(f"[{_CN}]+")
_BUILDING_SUFFIX_RE = re.compile(r"(?<![0-9])([0-9]{1,4})(?:号楼|栋楼|幢楼|栋|幢|座|#楼|#|(?:号|楼)(?=(?:[0-9]{1,2})?单元))")
_DOOR_UNIT_RE = re.compile(r"(?<=栋)([0-9]{1,2})门洞")
_REL_TAIL_RE = re.compile(rf"(?:{_REL}|{_TAIL})+$")
_FILLER_RE = re.compile(r"[的\s]|[那这](?:边|里|儿)$")


def normalize_place(place: str) -> str:
    """A comparison key: 3栋, 三栋, 3号楼, 3幢, 3# all become '3栋'."""
    text = strip_surrogates(place).translate(_package_fold()).strip()
    text = _CN_NUM_RE.sub(lambda m: str(v) if (v := _cn_to_int(m.group(0))) is not None
                          else m.group(0), text)
    text = _BUILDING_SUFFIX_RE.sub(r"\1栋", text)
    text = _DOOR_UNIT_RE.sub(r"\1单元", text)  # 3号楼2门洞 is 3栋2单元 (a door is a unit)
    text = _FILLER_RE.sub("", text)
    return text


def _says_more(core: str, other: str) -> bool:
    """`other` names the spot `core` names and more (九栋 -> 九栋楼下, 垃圾站 -> 南门垃圾站),
    not another number that ends in it (5栋 is no part of 15栋)."""
    i = other.find(core)
    return i >= 0 and not (i and core[:1].isdigit() and other[i - 1].isdigit())


_DOING_RE = re.compile("[开租住摆做搞收养]")
# An address said on its own after the message: a clause of its own (after 在, 就在, 就, 喺)
# that ends it (with 那个, 那家, 嗰间 or a particle at most).
_SAID_LAST_BEFORE_RE = re.compile(r"(?:^|[\s，。！？,.!?：:；;…~～])(?:就在|就喺|在|就|喺|位置[:：]?|地址[:：]?)?$")
_SAID_LAST_AFTER_RE = re.compile(r"(?:[那这嗰](?:个|家|间|边|儿))?(?:的|呢|啊|呀|哈|了)?[\s。！？.!?~～…]*$")


def _said_last(folded: str, start: int, end: int) -> bool:
    """The place is the message's last clause, said on its own: 「…小孩老往里钻 在3号楼地下室」."""
    if _SAID_LAST_AFTER_RE.match(folded, end) is None:
        return False
    return _SAID_LAST_BEFORE_RE.search(folded, max(start - 4, 0), start) is not None


def _that(text: str, pos: int, where: bool = False) -> re.Match[str] | None:
    """那家/那个/那条… with what is there, but not 那个开面馆的 / 那个租房子的 (a person), nor
    the pit, ditch or ramp that is the trouble (3单元门口那个坑还在) unless the place is said
    as where someone is (就在院后头那个大坑) or it runs along (北门那条坡道)."""
    m = _THAT_RE.match(text, pos)
    if m and text.startswith("的", m.end()) and _DOING_RE.match(m.group(0), 2):
        return None
    if m and not where and m.group(0)[1] != "条" and _TROUBLE_RE.search(m.group(0)):
        return None
    return m


_TROUBLE_RE = re.compile("(?:坑|沟|坡道|坡)$")


_DEFAULT_FINDER: PlaceFinder | None = None
_PACKAGE_FOLD: dict[int, str] | None = None


def _package_fold() -> dict[int, str]:
    """The fold table with the package's t2s.txt, read once on first use."""
    global _PACKAGE_FOLD
    if _PACKAGE_FOLD is None:
        try:
            _PACKAGE_FOLD = build_fold_table(read_char_map(Path(__file__).with_name("t2s.txt")))
        except (OSError, ValueError):
            _PACKAGE_FOLD = _DEFAULT_FOLD
    return _PACKAGE_FOLD


def _finder() -> PlaceFinder:
    global _DEFAULT_FINDER
    if _DEFAULT_FINDER is None:
        _DEFAULT_FINDER = PlaceFinder(_package_fold())
    return _DEFAULT_FINDER


def extract_place(text: str) -> str | None:
    """The place named in `text` as written, or None (see PlaceFinder)."""
    return _finder().extract(text)


def place_of_quote(sender_name: str, quoted: str) -> str | None:
    """The place of a quoted message (see PlaceFinder.of_quote)."""
    return _finder().of_quote(sender_name, quoted)
