import { Route, Routes } from 'react-router';
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
      <Route path=":id" element={<RulePage />} />
    </Routes>
  );
}
