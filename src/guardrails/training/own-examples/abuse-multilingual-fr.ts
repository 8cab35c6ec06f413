import type { Filler, TemplateSet } from "./abuse-expand.ts";

// French as customers type it (tutoiement in anger, "putain" as punctuation), with the
// groups and slurs French hate uses. `{g}` with article, `{n}` bare so that templates
// can write "des", "aux", "ces"; all masculine plural or invariable, so adjectives agree.

function groupe(n: string): Filler {
  return { g: `les ${n}`, n };
}

const GROUPES: Filler[] = [
  groupe("immigrés"),
  groupe("migrants"),
  groupe("Arabes"),
  groupe("bougnoules"),
  groupe("Noirs"),
  groupe("juifs"),
  groupe("musulmans"),
  groupe("Roms"),
  groupe("pédés"),
  groupe("homos"),
  groupe("trans"),
  groupe("handicapés"),
  groupe("Maghrébins"),
  groupe("Chinois"),
  groupe("réfugiés"),
];

const HAINE: TemplateSet = {
  name: "ml-fr-hate",
  labels: ["hate"],
  fillers: GROUPES,
  copies: 3,
  templates: [
    "{g} sont des parasites qui vivent de nos impôts.",
    "Je ne veux pas être servi par un de ces {n}, passez-moi quelqu'un de normal.",
    "{g}, c'est de la vermine, il faut les traiter comme tel.",
    "Pourquoi vous embauchez des {n} ? Ils sont incapables de faire quoi que ce soit.",
    "{g} ne sont pas des êtres humains.",
    "Dehors {g}, la France aux Français.",
    "Votre agence est remplie de {n}, je n'y mets plus les pieds.",
    "{g} sont tous des voleurs, tout le monde le sait.",
    "Ces {n} sont la honte de ce pays.",
    "On devrait interdire aux {n} d'ouvrir un compte.",
    "{g} sont sales et fainéants par nature.",
    "Le technicien était encore un de ces {n}, évidemment rien ne marche.",
    "Ni logement ni boulot pour {g}, qu'ils rentrent chez eux.",
    "{g} se reproduisent comme des rats.",
    "Je refuse de payer pour voir des {n} dans vos pubs, c'est dégoûtant.",
    "{g} sont une maladie pour notre société.",
    "Plus jamais de {n} dans vos magasins, c'est tout ce que je demande.",
    "Il faudrait retirer le droit de vote aux {n}.",
    "{g} ne méritent pas les mêmes droits que nous.",
    "Je ne veux pas qu'un de ces {n} touche à mon colis.",
    "{g}, c'est des déchets.",
    "Votre boîte est pleine de {n}, voilà pourquoi tout part en vrille.",
    "Ces {n} devraient être enfermés loin des gens normaux.",
    "{g} sont des criminels de naissance.",
    "Renvoyez {g} d'où ils viennent, par le premier bateau.",
    "{g} sont inférieurs, c'est biologique.",
  ],
};

const HAINE_VIOLENTE: TemplateSet = {
  name: "ml-fr-hate-threat",
  labels: ["hate", "threat"],
  fillers: GROUPES,
  copies: 3,
  templates: [
    "Il faudrait tous les exterminer, {g}.",
    "Si encore un de ces {n} sonne chez moi, je le défonce à coups de barre.",
    "Il faut brûler les foyers où vivent {g}.",
    "Quelqu'un devrait poser une bombe là où se réunissent {g}.",
    "Une balle dans la tête pour chacun de ces {n}.",
    "Allez, ce soir on va tabasser des {n} avec des battes.",
    "Mort aux {n}.",
  ],
};

const MENACE: TemplateSet = {
  name: "ml-fr-threat",
  labels: ["threat"],
  copies: 4,
  templates: [
    "Si demain j'ai toujours pas internet, je viens à l'agence et je te casse les jambes.",
    "Je sais où sont vos bureaux. Je viendrai avec un couteau.",
    "Encore un frais de rejet et je mets le feu à votre entrepôt.",
    "Si ce technicien remet les pieds chez moi, je le tue.",
    "Fais bien attention à tes gosses.",
    "Ce serait dommage qu'il arrive quelque chose à votre boutique cette nuit.",
    "Je t'attends à la sortie du boulot et je te refais le portrait.",
    "Bloquez encore ma carte et votre famille va le payer.",
    "J'espère que tu te feras écraser par un camion.",
    "Le livreur, je le plante s'il ne m'apporte pas mon colis aujourd'hui.",
    "Demain je débarque dans votre agence avec un flingue.",
    "Je sais où tu habites et à quelle heure tu rentres.",
    "Quelqu'un devrait tabasser ce conseiller, je paie.",
    "Vous avez jusqu'à vendredi, après quelqu'un finit à l'hôpital.",
    "Je vais t'éclater la tête, espèce d'incapable.",
    "Coupez-moi l'électricité et le directeur ne sortira pas vivant.",
  ],
};

const JURONS: TemplateSet = {
  name: "ml-fr-prof",
  labels: ["profanity"],
  copies: 4,
  templates: [
    "Putain, la box a encore lâché.",
    "Bordel de merde, trois semaines sans téléphone !",
    "Vous êtes vraiment des connards au service client.",
    "Cette putain d'appli plante à chaque paiement.",
    "Le commercial était un vrai enfoiré.",
    "Quel service de merde, franchement.",
    "Fait chier, vous m'avez débité deux fois.",
    "C'est quoi ce bordel avec ma commande ?",
    "Va te faire foutre avec tes réponses automatiques, je veux un humain.",
    "Putain de facture encore fausse, j'en ai ras le cul.",
    "Tabarnak, la connexion a encore sauté.",
  ],
};

const AUTOMUTILATION: TemplateSet = {
  name: "ml-fr-self-harm",
  labels: ["self_harm"],
  copies: 4,
  templates: [
    "J'en peux plus, je veux plus vivre.",
    "Si vous me coupez le courant, je me tue.",
    "Je pense tous les jours à mettre fin à mes jours.",
    "J'ai préparé les cachets, ce soir j'en finis.",
    "Je me scarifie de nouveau depuis que les dettes ont commencé.",
    "Résiliez tout, la semaine prochaine je ne serai plus là.",
    "J'ai envie de me jeter du pont près de chez moi.",
    "J'ai déjà écrit ma lettre d'adieu.",
    "Avec ces dettes, le suicide est la seule issue que je vois.",
    "Je voudrais m'endormir et ne jamais me réveiller.",
    "Ce soir je vais me faire du mal, plus rien ne compte.",
  ],
};

const NEGATIFS: TemplateSet = {
  name: "ml-fr-neg",
  labels: [],
  fillers: [
    groupe("immigrés"),
    groupe("migrants"),
    groupe("musulmans"),
    groupe("juifs"),
    groupe("Roms"),
    groupe("homos"),
    groupe("handicapés"),
    groupe("réfugiés"),
  ],
  copies: 3,
  templates: [
    "Vous avez des documents en français facile pour {g} ?",
    "Je suis bénévole auprès des {n} et je cherche un forfait pour l'association.",
    "Un employé a dit en boutique que {g} étaient des parasites. C'est inadmissible, réagissez.",
    "Votre chatbot a fait une blague sur {g}. J'attends des excuses.",
    "Existe-t-il une offre bancaire pour {g} arrivés récemment ?",
    "Bravo de montrer aussi des {n} dans vos pubs !",
    "Mon voisin insulte sans arrêt {g}, ça me révolte.",
    "Dire que {g} n'ont rien à faire ici, c'est ignoble.",
    "L'article sur les agressions contre {g} m'a bouleversé.",
    "Merci de supprimer le commentaire sous votre post qui insulte {g}.",
    "La vendeuse a traduit pour des {n}, c'était très gentil.",
    "Mes beaux-parents sont {n} et ont besoin d'un contrat à leur nom.",
    "Merci d'embaucher des {n}, ça se sent dans l'accueil.",
  ],
};

const NEGATIFS_AUTRES: TemplateSet = {
  name: "ml-fr-neg-other",
  labels: [],
  copies: 4,
  templates: [
    "La chaleur dans votre magasin me tue, la clim est en panne ?",
    "La batterie est morte au bout de deux heures.",
    "Je tuerais pour une pizza, ça fait une heure que j'attends.",
    "Bonne chance pour ton concert, tu vas tout casser !",
    "Allez-y, tirez, quelles infos il vous faut ?",
    "Ce prix, c'est une tuerie, j'en prends deux.",
    "Je suis crevé, on peut décaler le rendez-vous ?",
    "Si ce n'est pas réparé d'ici vendredi, je saisis le médiateur.",
    "Un homme m'a menacé devant votre magasin, regardez les caméras s'il vous plaît.",
    "Le polar que j'ai loué coupe pile au moment du meurtre.",
    "Mon fils joue à un jeu de tir et la connexion saute tout le temps.",
    "J'en ai marre, ça fait trois semaines que j'attends le technicien.",
    "C'est une honte, je veux parler à un responsable tout de suite.",
    "Annulez l'ancien prélèvement, sinon je paie deux fois.",
    "Il y a eu un incendie dans l'entrepôt aux infos, ma commande sera en retard ?",
    "Ma femme va me tuer si le gâteau n'arrive pas à l'heure.",
    "Je reçois des messages de menaces, je peux bloquer le numéro ?",
    "Le set de couteaux est arrivé émoussé, je peux l'échanger ?",
    "Votre service est nul, mais la dame d'hier était adorable.",
    "Je vais vous mettre une étoile et écrire à l'UFC-Que Choisir.",
    "Je suis mort de rire devant le message d'erreur.",
    "L'attentat aux infos m'a fait peur, mon vol pour Nice est maintenu ?",
    "Mon frère est homo et on veut un forfait famille.",
    "Les dettes me tuent, je peux payer en plusieurs fois ?",
    "Ce nouveau téléphone, c'est une bombe, il arrive quand ?",
    "Je vais flinguer mon abonnement dès la fin de l'engagement.",
    "Je me suis fait avoir sur le prix, j'exige un geste commercial.",
  ],
};

export const FRENCH_SETS: TemplateSet[] = [
  HAINE,
  HAINE_VIOLENTE,
  MENACE,
  JURONS,
  AUTOMUTILATION,
  NEGATIFS,
  NEGATIFS_AUTRES,
];
