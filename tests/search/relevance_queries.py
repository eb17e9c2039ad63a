"""Realistic reader queries and the cases that must come back in the top three (see test_relevance.py)."""

# (query as a reader types it, slugs of which at least one must be in the top 3)
# A tuple of several slugs means any of them is a right answer for that wording.
QUERIES: list[tuple[str, tuple[str, ...]]] = [
    # practice names, whole and partial
    ("阳光票决制", ("huangnidun-yangguang-piaojue",)),
    ("票决", ("huangnidun-yangguang-piaojue",)),
    ("民事村了", ("yingcun-minshi-cunliao",)),
    ("村了", ("yingcun-minshi-cunliao",)),
    ("十台合一", ("qingyuan-shitai-heyi",)),
    ("平安报表", ("pingan-baobiao-guanlifa",)),
    ("陈尸陈案", ("chenshi-chenan-zhuanxiang-gongjian",)),
    ("警侨驿站", ("jingqiao-jingshang-yizhan",)),
    ("技能型乡镇政府", ("jinengxing-xiangzhen-zhengfu",)),
    ("包乡走村", ("baoxiang-zoucun",)),
    ("一人一事一档", ("yiren-yishi-yidang",)),
    ("分类归口交办", ("fenlei-guikou-jiaoban",)),
    ("三化治理", ("xitou-sanhua-zhili",)),
    ("民情地图", ("minqing-ditu-wangge-qunzhong",)),
    ("大搬快聚", ("dabankuaiju-kuashan-tongchou-shifan-chuangjian",)),
    ("域外网格", ("jingning-yuwai-wangge",)),
    ("新任必理旧账", ("xinren-liren-zeren-jiaojie",)),
    # traditional characters
    ("陽光票決制", ("huangnidun-yangguang-piaojue",)),
    ("民事村了工作法 鄉村", ("yingcun-minshi-cunliao",)),
    ("專家團隊 金融糾紛", ("zhuanjia-tuandui-jinrong-jiufen",)),
    # paraphrases: a reader describing a problem in their own words
    ("矛盾纠纷在村里化解", ("yingcun-minshi-cunliao",)),
    ("干部离任交接", ("xinren-liren-zeren-jiaojie",)),
    ("在外务工人员服务", ("jingning-yuwai-wangge",)),
    ("金融纠纷", ("zhuanjia-tuandui-jinrong-jiufen",)),
    ("村里重大事项怎么决策", ("huangnidun-yangguang-piaojue",)),
    ("乡村版枫桥经验", ("yingcun-minshi-cunliao",)),
    ("治理平台太多太乱怎么整合", ("qingyuan-shitai-heyi", "dangjian-tongling-maotiao-zhongxin-zhili-moshi")),
    ("红黄绿三色预警", ("pingan-baobiao-guanlifa",)),
    ("多年命案积案侦破", ("chenshi-chenan-zhuanxiang-gongjian",)),
    ("海外华侨警务服务", ("jingqiao-jingshang-yizhan",)),
    ("乡镇干部必备技能", ("jinengxing-xiangzhen-zhengfu",)),
    ("信访重点人员建档", ("yiren-yishi-yidang",)),
    ("退休党员和志愿者参与网格", ("minqing-ditu-wangge-qunzhong",)),
    ("疫情期间帮助企业复工复产", ("dashuju-wanggehua-fuwu-qiye",)),
    ("党组织建在网格上", ("dangjian-wangge-ronghe",)),
    ("组织体系和治理体系两张皮", ("dangjian-wangge-ronghe",)),
    ("律师和心理咨询师参与化解", ("zhuanjia-tuandui-jinrong-jiufen",)),
    ("各地经验互相学习推广", ("xuexi-pingtai-lishui-shijian",)),
    ("机关部门下乡服务基层", ("baoxiang-zoucun",)),
    # place names
    ("黄泥墩村", ("huangnidun-yangguang-piaojue",)),
    ("遂昌 应村", ("yingcun-minshi-cunliao",)),
    ("溪头村", ("xitou-sanhua-zhili",)),
    ("景宁", ("jingning-yuwai-wangge",)),
    ("庆元县", ("qingyuan-shitai-heyi",)),
    ("龙泉", ("xitou-sanhua-zhili",)),
    # phrases
    ('"阳光 票决"', ("huangnidun-yangguang-piaojue",)),
    ('"矛调中心" 四个平台 全科网格', ("dangjian-tongling-maotiao-zhongxin-zhili-moshi",)),
]
