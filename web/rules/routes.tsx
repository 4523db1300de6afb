import { Route, Routes, useParams } from 'react-router';
import { registerMessages } from '../i18n/index.ts';
import { taskMessages } from '../tasks/messages.ts';
import { ruleMessages } from './messages.ts';
import { RuleListPage } from './RuleListPage.tsx';
import { RulePage } from './RulePage.tsx';

registerMessages('rules', ruleMessages);
registerMessages('tasks', taskMessages);

/** /rules, /rules/new, /rules/:id (admin). */
export default function RuleRoutes() {
  return (
    <Routes>
      <Route index element={<RuleListPage />} />
      <Route path=":id" element={<RulePageById />} />
    </Routes>
  );
}

/** One page per rule: a new rule, once saved, opens its own page afresh (and its one-time secret). */
function RulePageById() {
  const { id } = useParams();
  return <RulePage key={id} />;
}
