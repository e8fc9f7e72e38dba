//! Pinyin syllables, without tones: to tell a Chinese given name printed
//! as one word (`Hongcai` = hong + cai) from any other capitalized word.
//!
//! Written out here, not read from a word list: the syllables of Mandarin
//! are a closed set (Table of Pinyin syllables), not something a user
//! adds to.

use std::collections::HashSet;
use std::sync::OnceLock;

const SYLLABLES: &str = "a ai an ang ao \
ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu \
ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu \
chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo \
da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo \
e ei en eng er fa fan fang fei fen feng fo fou fu \
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo \
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo \
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun \
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo \
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu long lou lu luan lun luo lv lve \
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu \
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve \
o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu \
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun \
ran rang rao re ren reng ri rong rou ru ruan rui run ruo \
sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua \
shuai shuan shuang shui shun shuo si song sou su suan sui sun suo \
ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo \
wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun \
ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun \
za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou \
zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo";

fn syllables() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| SYLLABLES.split_whitespace().collect())
}

/// Whether `word` (any case) is one or two pinyin syllables written
/// together (`Jintao`, `Yi`, `Xi'an`). A syllable starting with a vowel
/// after another is not read (`Xian` is xian, not xi + an), as pinyin
/// writes an apostrophe there.
pub fn is_given_name(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if !lower.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
        return false;
    }
    let set = syllables();
    if let Some((a, b)) = lower.split_once('\'') {
        return set.contains(a) && set.contains(b);
    }
    if set.contains(lower.as_str()) {
        return true;
    }
    (1..lower.len()).any(|cut| {
        let (a, b) = lower.split_at(cut);
        set.contains(a) && set.contains(b) && !b.starts_with(['a', 'e', 'o'])
    })
}

#[cfg(test)]
mod tests {
    use super::is_given_name;

    #[test]
    fn given_names_and_other_words() {
        for w in [
            "Hongcai", "Jintao", "Jizhe", "Jieyi", "Keqiang", "Yi", "Jinping", "Xi'an",
        ] {
            assert!(is_given_name(w), "{w}");
        }
        for w in [
            "March",
            "Festival",
            "Thaek",
            "Gyong",
            "Pyongyang",
            "Hongcaix",
            "Dongan",
        ] {
            assert!(!is_given_name(w), "{w}");
        }
    }
}
