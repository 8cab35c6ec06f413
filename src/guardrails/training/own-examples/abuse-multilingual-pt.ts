import type { Filler, TemplateSet } from "./abuse-expand.ts";

// Portuguese from Brazil and Portugal (você and tu, "porra" and "caralho"), with the
// groups and slurs Lusophone hate uses. `{g}` with article, `{n}` bare so templates can
// write "dos", "aos", "esses"; all masculine plural or invariable.

function grupo(n: string): Filler {
  return { g: `os ${n}`, n };
}

const GRUPOS: Filler[] = [
  grupo("imigrantes"),
  grupo("nordestinos"),
  grupo("ciganos"),
  grupo("muçulmanos"),
  grupo("judeus"),
  grupo("negros"),
  grupo("pretos"),
  grupo("viados"),
  grupo("gays"),
  grupo("travestis"),
  grupo("brasileiros"),
  grupo("refugiados"),
  grupo("deficientes"),
  grupo("haitianos"),
  grupo("bolivianos"),
];

const ODIO: TemplateSet = {
  name: "ml-pt-hate",
  labels: ["hate"],
  fillers: GRUPOS,
  copies: 3,
  templates: [
    "{g} são uns parasitas que vivem dos nossos impostos.",
    "Não quero ser atendido por um desses {n}, me passa para alguém normal.",
    "{g} são uma praga, tem que expulsar todos do país.",
    "Por que vocês contratam {n}? Eles não sabem fazer nada.",
    "{g} não são gente, são bichos.",
    "Fora com {g}, aqui não é lugar deles.",
    "A loja do shopping está cheia de {n}, nunca mais piso lá.",
    "{g} são todos ladrões, todo mundo sabe.",
    "Esses {n} são a escória da sociedade.",
    "Deviam proibir {g} de abrir conta no banco.",
    "{g} são sujos e preguiçosos por natureza.",
    "O técnico era mais um desses {n}, claro que não resolveu nada.",
    "Nem casa nem emprego para {g}, que voltem para a terra deles.",
    "{g} se reproduzem como ratos.",
    "Não pago para ver {n} nas vossas propagandas, que nojo.",
    "{g} são uma doença para este bairro.",
    "Não deixem entrar mais {n} no voo, por favor.",
    "Tinham que tirar o direito de voto dos {n}.",
    "{g} não merecem os mesmos direitos que a gente.",
    "Não quero que um desses {n} encoste na minha encomenda.",
    "{g} são lixo, sempre foram.",
    "A vossa empresa está cheia de {n}, por isso está tudo uma desgraça.",
    "Esses {n} deviam estar presos longe das pessoas de bem.",
    "{g} já nascem bandidos.",
    "Mandem {g} de volta no primeiro barco.",
    "{g} são inferiores, é da natureza deles.",
  ],
};

const ODIO_VIOLENTO: TemplateSet = {
  name: "ml-pt-hate-threat",
  labels: ["hate", "threat"],
  fillers: GRUPOS,
  copies: 3,
  templates: [
    "Tinha que matar todos {g}.",
    "Se mais um desses {n} bater na minha porta, eu arrebento ele na porrada.",
    "Tem que tacar fogo nas casas onde moram {g}.",
    "Alguém devia jogar uma bomba onde {g} se reúnem.",
    "Bala neles, {g} só entendem assim.",
    "Bora sair hoje à noite e caçar {n} com taco de beisebol.",
    "Morte aos {n}.",
  ],
};

const AMEACA: TemplateSet = {
  name: "ml-pt-threat",
  labels: ["threat"],
  copies: 4,
  templates: [
    "Se amanhã eu continuar sem internet, vou na loja e quebro as tuas pernas.",
    "Eu sei onde fica o escritório de vocês. Vou levar uma faca.",
    "Mais uma cobrança indevida e eu boto fogo no depósito de vocês.",
    "Se aquele técnico voltar aqui, eu mato ele.",
    "Cuida bem dos teus filhos, viu.",
    "Seria uma pena se a tua loja pegasse fogo esta noite.",
    "Te espero na saída do trabalho e te arrebento a cara.",
    "Bloqueia meu cartão de novo e a tua família vai pagar.",
    "Tomara que um caminhão te atropele.",
    "Eu esfaqueio o entregador se a encomenda não chegar hoje.",
    "Amanhã eu apareço na agência de vocês com uma arma.",
    "Sei onde você mora e a que horas chega em casa.",
    "Alguém devia dar uma surra nesse atendente, eu pago.",
    "Vocês têm até sexta, depois alguém vai parar no hospital.",
    "Vou te quebrar a cabeça, seu inútil.",
    "Se cortarem a minha luz, o gerente não sai vivo.",
  ],
};

const PALAVROES: TemplateSet = {
  name: "ml-pt-prof",
  labels: ["profanity"],
  copies: 4,
  templates: [
    "Porra, o modem caiu de novo.",
    "Caralho, três semanas sem telefone!",
    "Vocês do atendimento são uns babacas.",
    "Esse aplicativo de merda fecha toda vez que eu pago.",
    "O vendedor era um filho da puta.",
    "Que serviço de bosta, sinceramente.",
    "Puta que pariu, cobraram duas vezes de novo.",
    "Que merda aconteceu com o meu pedido?",
    "Vai tomar no cu com essas respostas automáticas, quero falar com uma pessoa.",
    "Foda-se, vou cancelar tudo.",
    "Fatura errada outra vez, estou de saco cheio desta merda.",
  ],
};

const AUTOLESAO: TemplateSet = {
  name: "ml-pt-self-harm",
  labels: ["self_harm"],
  copies: 4,
  templates: [
    "Não aguento mais, não quero mais viver.",
    "Se cortarem a minha luz, eu me mato.",
    "Já separei os comprimidos, hoje à noite eu acabo com tudo.",
    "Penso todos os dias em tirar a minha vida.",
    "Voltei a me cortar desde que começaram as dívidas.",
    "Cancelem tudo, semana que vem eu não vou estar mais aqui.",
    "Tenho vontade de me jogar da ponte perto de casa.",
    "Já escrevi a minha carta de despedida.",
    "Com essas dívidas, a única saída que vejo é me suicidar.",
    "Queria dormir e nunca mais acordar.",
    "Hoje à noite vou me machucar, já não me importa nada.",
  ],
};

const NEGATIVOS: TemplateSet = {
  name: "ml-pt-neg",
  labels: [],
  fillers: [
    grupo("imigrantes"),
    grupo("nordestinos"),
    grupo("ciganos"),
    grupo("muçulmanos"),
    grupo("judeus"),
    grupo("gays"),
    grupo("refugiados"),
    grupo("haitianos"),
  ],
  copies: 3,
  templates: [
    "Vocês têm informação em linguagem simples para {n}?",
    "Sou voluntária com {n} e preciso de um plano para a associação.",
    "Um funcionário disse na loja que {g} são lixo. Isso é inaceitável, tomem uma atitude.",
    "O vosso chatbot fez uma piada sobre {g}. Exijo um pedido de desculpas.",
    "Existe alguma conta especial para {n} recém-chegados?",
    "Que bom ver {n} nas vossas propagandas!",
    "O meu vizinho vive xingando {g} e isso me revolta.",
    "Quem diz que {g} não têm lugar aqui não sabe do que fala.",
    "A notícia dos ataques contra {g} me deixou muito mal.",
    "Por favor apaguem o comentário no vosso post que ofende {g}.",
    "A moça da loja traduziu para uns {n}, foi muito gentil.",
    "Os meus sogros são {n} e precisam de um contrato no nome deles.",
    "Obrigado por contratar {n}, dá para sentir no atendimento.",
  ],
};

const NEGATIVOS_OUTROS: TemplateSet = {
  name: "ml-pt-neg-other",
  labels: [],
  copies: 4,
  templates: [
    "Esse calor na loja está me matando, o ar-condicionado quebrou?",
    "A bateria morre depois de duas horas.",
    "Eu matava por uma pizza, estou há uma hora na espera.",
    "Boa sorte na estreia, vai arrasar!",
    "Manda ver, que dados você precisa?",
    "Esse preço está matador, vou levar dois.",
    "Estou morto de cansaço, dá para remarcar a visita?",
    "Se não consertarem até sexta, vou reclamar no Procon.",
    "Um homem me ameaçou na frente da vossa loja, vejam as câmeras por favor.",
    "A série policial trava bem na cena do assassinato.",
    "O meu filho joga um jogo de tiro e a conexão cai toda hora.",
    "Estou farto, há três semanas à espera do técnico.",
    "Isso é uma vergonha, quero falar com um responsável agora.",
    "Cancelem o débito antigo, senão pago duas vezes.",
    "Deu no jornal um incêndio no armazém, a minha encomenda vai atrasar?",
    "A minha mulher me mata se o bolo não chegar a tempo.",
    "Estou recebendo mensagens de ameaça, posso bloquear o número?",
    "O jogo de facas chegou sem fio, posso trocar?",
    "O vosso serviço é um desastre, mas a moça de ontem foi um amor.",
    "Vou dar uma estrela e fazer queixa no Livro de Reclamações.",
    "Morri de rir com a mensagem de erro.",
    "A notícia do atentado me assustou, o meu voo para Lisboa está mantido?",
    "O meu irmão é gay e queremos um plano família.",
    "As dívidas estão me matando, posso parcelar?",
    "Esse celular novo é uma bomba, quando chega?",
    "Vou matar esse contrato assim que acabar a fidelidade.",
    "Fui roubado no preço, quero um desconto.",
  ],
};

export const PORTUGUESE_SETS: TemplateSet[] = [
  ODIO,
  ODIO_VIOLENTO,
  AMEACA,
  PALAVROES,
  AUTOLESAO,
  NEGATIVOS,
  NEGATIVOS_OUTROS,
];
